package dev.sluice.protocol.client;

import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;

import dev.sluice.protocol.auth.ClusterToken;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/** One plaintext gRPC channel per peer address ({@code host:port}), opened on first use and shared. */
public final class ChannelPool implements AutoCloseable {

    private static final int MAX_MESSAGE_BYTES = 64 * 1024 * 1024;

    private final Map<String, ManagedChannel> channels = new ConcurrentHashMap<>();
    private final Optional<ClusterToken> token;

    /** Channels whose calls carry {@code token}, when there is one. */
    public ChannelPool(Optional<ClusterToken> token) {
        this.token = token;
    }

    /** Channels whose calls carry no token. */
    public ChannelPool() {
        this(Optional.empty());
    }

    /** The channel to {@code address}. */
    public ManagedChannel get(String address) {
        return channels.computeIfAbsent(address, a -> open(a, token, MAX_MESSAGE_BYTES));
    }

    /** A plaintext channel to {@code address} whose calls carry {@code token}, when there is one. */
    public static ManagedChannel open(String address, Optional<ClusterToken> token, int maxInboundBytes) {
        ManagedChannelBuilder<?> b = ManagedChannelBuilder.forTarget(address).usePlaintext().maxInboundMessageSize(maxInboundBytes);
        token.ifPresent(t -> b.intercept(t.signer()));
        return b.build();
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
