package dev.sluice.pipeline;

import dev.sluice.api.DStream;
import dev.sluice.api.JobArgs;
import dev.sluice.api.StreamingContext;
import dev.sluice.api.StreamingJob;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The built-in {@code pipeline} job: it runs the pipeline a declarative spec describes
 * (sources, built-in functions, windows, state, outputs; see {@code docs/pipeline.md}), so
 * a new pipeline needs no code and no new image.
 *
 * <p>Arguments: exactly one of {@code spec} (the spec's YAML or JSON text) and
 * {@code spec-file} (the path of a file holding it, which must be the same on every process
 * that defines the job); the context's own {@code batch}, {@code parallelism} and
 * {@code checkpoint}; and whatever job arguments the spec's {@code arg} sources name.
 * A bad spec is rejected with a {@link PipelineSpecException} naming the bad field's path.
 */
public final class PipelineJob implements StreamingJob {

    /** The job's name. */
    public static final String NAME = "pipeline";
    /** The job argument holding the spec's text. */
    public static final String SPEC_ARG = "spec";
    /** The job argument holding the path of a file with the spec. */
    public static final String SPEC_FILE_ARG = "spec-file";

    private static final SpecParser PARSER = new SpecParser();

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void define(StreamingContext ctx, JobArgs args) {
        new PipelineBuilder(ctx, readSpec(args, PARSER), Map.of(), args).build();
    }

    /**
     * Declares {@code spec} on {@code ctx}, taking the sources named in {@code inputs} from
     * there instead of creating them (how tests feed a pipeline queue input, and how another
     * job can reuse a pipeline on its own streams). The spec's outputs are registered too.
     *
     * @param inputs text streams of {@code ctx} by source name; may be empty
     * @return every source and stream of the spec by name, in the spec's order
     * @throws PipelineSpecException when a window does not fit the batch interval, a source is
     *                               refused by the context, or an {@code arg} source has no input
     *                               and no job argument
     */
    public static Map<String, DStream<?>> define(StreamingContext ctx, PipelineSpec spec,
                                                 Map<String, DStream<String>> inputs) {
        return new PipelineBuilder(ctx, spec, inputs, JobArgs.empty()).build();
    }

    /**
     * The spec the job arguments give, parsed and checked.
     *
     * @throws PipelineSpecException    when the spec is bad
     * @throws IllegalArgumentException when neither or both of {@code spec} and {@code spec-file}
     *                                  are given, or the file cannot be read
     */
    public static PipelineSpec readSpec(JobArgs args, SpecParser parser) {
        String inline = args.get(SPEC_ARG);
        String file = args.get(SPEC_FILE_ARG);
        boolean hasInline = inline != null && !inline.isBlank();
        boolean hasFile = file != null && !file.isBlank();
        if (hasInline && hasFile) {
            throw new IllegalArgumentException("the pipeline job takes its spec from the job argument '" + SPEC_ARG
                    + "' or from '" + SPEC_FILE_ARG + "', not both");
        }
        if (!hasInline && !hasFile) {
            throw new IllegalArgumentException("the pipeline job needs a spec: the job argument '" + SPEC_ARG
                    + "' (its YAML or JSON text) or '" + SPEC_FILE_ARG + "' (the path of a file with it)");
        }
        return parser.parse(hasInline ? inline : read(Path.of(file), parser));
    }

    private static String read(Path file, SpecParser parser) {
        int max = parser.limits().maxBytes();
        try (InputStream in = Files.newInputStream(file)) {
            // Read up to one byte past the limit rather than trusting the size: a device or a pipe
            // (/dev/zero, /dev/urandom) reports 0 bytes and never ends.
            byte[] bytes = in.readNBytes(max + 1);
            if (bytes.length > max) {
                String size = Files.isRegularFile(file) ? Files.size(file) + " bytes, " : "";
                throw new PipelineSpecException("", "the spec file " + file + " is " + size + "more than the limit of "
                        + max + " bytes");
            }
            return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString();
        } catch (IOException e) {
            throw new IllegalArgumentException("job argument '" + SPEC_FILE_ARG + "': cannot read " + file + ": "
                    + e.getClass().getSimpleName() + (e.getMessage() == null || e.getMessage().equals(file.toString())
                    ? "" : " (" + e.getMessage() + ")"));
        }
    }
}
