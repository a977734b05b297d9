package dev.sluice.pipeline;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks what parsing one entry at a time cannot: names unique across sources and streams,
 * every reference known, no cycles, every operation applied to a stream of a kind it takes,
 * and nothing left unused. Visits everything in the spec's order, so the first error
 * reported is the same on every process.
 */
final class SpecChecker {

    private static final int MAX_KNOWN_LISTED = 30;

    private final List<SourceSpec> sources;
    private final List<StreamSpec> streams;
    private final List<OutputSpec> outputs;
    private final Map<String, StreamSpec> streamsByName = new LinkedHashMap<>();
    private final List<String> names = new ArrayList<>();
    private final Map<String, StreamType> types = new LinkedHashMap<>();

    SpecChecker(List<SourceSpec> sources, List<StreamSpec> streams, List<OutputSpec> outputs) {
        this.sources = sources;
        this.streams = streams;
        this.outputs = outputs;
    }

    PipelineSpec check() {
        for (SourceSpec s : sources) {
            names.add(s.name());
            types.put(s.name(), StreamType.TEXT);
        }
        for (StreamSpec s : streams) {
            if (names.contains(s.name())) {
                throw new PipelineSpecException(s.path(), "'" + s.name() + "' is already the name of a source");
            }
            names.add(s.name());
            streamsByName.put(s.name(), s);
        }
        for (StreamSpec s : streams) {
            List<String> inputs = s.inputs();
            for (int i = 0; i < inputs.size(); i++) {
                if (!names.contains(inputs.get(i))) {
                    throw unknown(s.inputPath(i), inputs.get(i), s.name());
                }
            }
        }
        for (OutputSpec o : outputs) {
            if (!names.contains(o.stream())) {
                throw unknown(SpecNode.child(o.path(), "stream"), o.stream(), null);
            }
        }
        List<String> visiting = new ArrayList<>();
        for (StreamSpec s : streams) {
            type(s, visiting);
        }
        checkAllUsed();
        Map<String, StreamType> ordered = new LinkedHashMap<>();
        for (String name : names) {
            ordered.put(name, types.get(name));
        }
        return new PipelineSpec(sources, streams, outputs, Collections.unmodifiableMap(ordered));
    }

    private PipelineSpecException unknown(String path, String name, String self) {
        List<String> known = names.stream().filter(n -> !n.equals(self)).toList();
        String listed = known.size() <= MAX_KNOWN_LISTED ? String.join(", ", known)
                : String.join(", ", known.subList(0, MAX_KNOWN_LISTED)) + ", ... (" + known.size() + " in all)";
        return new PipelineSpecException(path, "unknown stream '" + SpecNode.abbreviate(name) + "'; known: " + listed
                + Suggestions.didYouMean(name, known));
    }

    /** The type of {@code s}, working out its inputs' types first; fails on a cycle. */
    private StreamType type(StreamSpec s, List<String> visiting) {
        StreamType known = types.get(s.name());
        if (known != null) {
            return known;
        }
        visiting.add(s.name());
        List<String> inputs = s.inputs();
        List<StreamType> inputTypes = new ArrayList<>();
        for (int i = 0; i < inputs.size(); i++) {
            String input = inputs.get(i);
            if (visiting.contains(input)) {
                List<String> cycle = new ArrayList<>(visiting.subList(visiting.indexOf(input), visiting.size()));
                cycle.add(input);
                throw new PipelineSpecException(s.inputPath(i), "streams read each other in a cycle: "
                        + String.join(" -> ", cycle) + " (each reads the next)");
            }
            StreamSpec parent = streamsByName.get(input);
            inputTypes.add(parent == null ? types.get(input) : type(parent, visiting));
        }
        visiting.remove(visiting.size() - 1);
        StreamType type = TypeRules.apply(s, inputTypes);
        types.put(s.name(), type);
        return type;
    }

    private void checkAllUsed() {
        Set<String> used = new HashSet<>();
        streams.forEach(s -> used.addAll(s.inputs()));
        outputs.forEach(o -> used.add(o.stream()));
        for (SourceSpec s : sources) {
            if (!used.contains(s.name())) {
                throw new PipelineSpecException(s.path(), "source '" + s.name()
                        + "' is not used: no stream reads it and no output writes it");
            }
        }
        for (StreamSpec s : streams) {
            if (!used.contains(s.name())) {
                throw new PipelineSpecException(s.path(), "stream '" + s.name()
                        + "' is not used: no stream reads it and no output writes it");
            }
        }
    }
}
