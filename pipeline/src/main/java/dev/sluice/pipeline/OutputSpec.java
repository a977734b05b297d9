package dev.sluice.pipeline;

/**
 * One entry of the spec's {@code outputs}.
 *
 * @param path   where it is in the spec ({@code outputs[i]})
 * @param stream the stream it outputs
 * @param print  for {@code print: N}, N; 0 for {@code saveAsTextFiles}
 * @param prefix for {@code saveAsTextFiles}, the prefix; else {@code null}
 * @param suffix for {@code saveAsTextFiles}, the suffix; {@code null} for none
 */
public record OutputSpec(String path, String stream, int print, String prefix, String suffix) {

    /** Whether this prints rather than saves. */
    public boolean isPrint() {
        return prefix == null;
    }
}
