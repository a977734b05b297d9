package dev.sluice.protocol.client;

import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/** One plaintext gRPC channel per peer address ({@code host:port}), opened on first use and shared. */
public final class ChannelPool implements AutoCloseable {

    private static final int MAX_MESSAGE_BYTES = 64 * 1024 * 1024;

    private final Map<String, ManagedChannel> channels = new ConcurrentHashMap<>();

    /** The channel to {@code address}. */
    public ManagedChannel get(String address) {
        return channels.computeIfAbsent(address, a -> ManagedChannelBuilder.forTarget(a)
                .usePlaintext()
                .maxInboundMessageSize(MAX_MESSAGE_BYTES)
                .build());
    }

    /**
     * Closes the channel to {@code address} at once: calls in flight on it fail with
     * {@code UNAVAILABLE}. The next {@link #get} opens a new one.
     */
    public void drop(String address) {
        ManagedChannel c = channels.remove(address);
        if (c != null) {
            c.shutdownNow();
        }
    }

    @Override
    public void close() {
        channels.values().forEach(ManagedChannel::shutdown);
        for (ManagedChannel c : channels.values()) {
            try {
                c.awaitTermination(2, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        channels.clear();
    }
}
