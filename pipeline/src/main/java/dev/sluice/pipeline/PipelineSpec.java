package dev.sluice.pipeline;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A parsed and checked pipeline: its sources, streams and outputs, each in the order the
 * spec lists them (which fixes the order operators are defined in, so every process that
 * defines it gets the same graph). Made by {@link SpecParser}.
 *
 * @param sources the named inputs
 * @param streams the named streams made from them
 * @param outputs what is printed or saved
 * @param types   what each source and stream holds, by name, in the same order
 */
public record PipelineSpec(List<SourceSpec> sources, List<StreamSpec> streams, List<OutputSpec> outputs,
                           Map<String, StreamType> types) {

    public PipelineSpec {
        sources = List.copyOf(sources);
        streams = List.copyOf(streams);
        outputs = List.copyOf(outputs);
    }

    /** The names of the sources and then the streams, in the spec's order. */
    public List<String> names() {
        List<String> names = new ArrayList<>();
        sources.forEach(s -> names.add(s.name()));
        streams.forEach(s -> names.add(s.name()));
        return names;
    }
}
