package dev.sluice.pipeline;

/**
 * Bounds on what a spec may hold, so that a spec submitted over REST cannot make the
 * coordinator (or each worker, which parses the same spec) spend unbounded memory or time.
 *
 * @param maxBytes   the largest spec, in UTF-8 bytes
 * @param maxDepth   the deepest nesting of mappings and lists, the top-level mapping counting as 1
 * @param maxStreams the most sources and streams together, and separately the most outputs
 */
public record SpecLimits(int maxBytes, int maxDepth, int maxStreams) {

    /** 64 KiB, 20 levels, 200 streams. */
    public static final SpecLimits DEFAULTS = new SpecLimits(64 * 1024, 20, 200);

    public SpecLimits {
        if (maxBytes <= 0 || maxDepth <= 0 || maxStreams <= 0) {
            throw new IllegalArgumentException("spec limits must be positive: " + maxBytes + ", " + maxDepth + ", "
                    + maxStreams);
        }
    }
}
