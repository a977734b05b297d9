package dev.sluice.pipeline;

/**
 * A pipeline spec that cannot be run: it names the path of the bad field (for example
 * {@code streams.words.flatMap.split} or {@code outputs[1].stream}) and what was expected
 * there. The message is {@code <path>: <problem>}, or just the problem when it concerns the
 * spec as a whole (its size, its syntax), whose path is empty.
 *
 * <p>It is an {@link IllegalArgumentException} because a job rejects bad arguments with one,
 * so whatever starts jobs already answers it as a client error; the REST layer can read
 * {@link #path()} to point at the field.
 */
public final class PipelineSpecException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final String path;
    private final String problem;

    /**
     * @param path    where in the spec, e.g. {@code streams.counts.from}; empty for the whole spec
     * @param problem what is wrong and what was expected
     */
    public PipelineSpecException(String path, String problem) {
        super(path.isEmpty() ? problem : path + ": " + problem);
        this.path = path;
        this.problem = problem;
    }

    /** The path of the bad field, e.g. {@code outputs[1].stream}; empty when the spec as a whole is wrong. */
    public String path() {
        return path;
    }

    /** The message without the path. */
    public String problem() {
        return problem;
    }
}
