package dev.sluice.protocol.transfer;

/**
 * How large the {@code DataChunk}s are that blocks, replicas and shuffle data travel in.
 *
 * <p>128 KiB: large enough that a chunk's fixed cost (a gRPC message, a callback) is nothing
 * next to its bytes, and small enough that the buffer gRPC serialises it into comes from
 * Netty's pool (the receiver and workers build with {@code quarkus.netty.allocator-max-order=5},
 * 256 KiB chunks) and its thread caches ({@code -Dio.netty.allocator.maxCachedBufferCapacity}).
 * A message larger than a pool chunk gets a direct buffer of its own that is allocated, zeroed,
 * faulted in page by page and freed again, every time.
 */
public final class Chunks {

    /** The most bytes of data one chunk carries. */
    public static final int MAX_BYTES = 128 * 1024;

    private Chunks() {
    }
}
