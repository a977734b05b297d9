package dev.sluice.protocol.client;

import io.grpc.ChannelCredentials;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;

import dev.sluice.protocol.auth.ClusterToken;
import dev.sluice.protocol.tls.ClusterTls;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * One gRPC channel per peer address ({@code host:port}), opened on first use and shared: TLS
 * when the cluster has it ({@link ClusterTls}), plaintext otherwise.
 */
public final class ChannelPool implements AutoCloseable {

    private static final int MAX_MESSAGE_BYTES = 64 * 1024 * 1024;

    private final Map<String, ManagedChannel> channels = new ConcurrentHashMap<>();
    private final Optional<ClusterToken> token;
    private final ChannelCredentials credentials;

    /** Channels whose calls carry {@code token}, when there is one, over TLS when {@code tls} is there. */
    public ChannelPool(Optional<ClusterToken> token, Optional<ClusterTls> tls) {
        this.token = token;
        // Built once: it reads the CA file.
        this.credentials = ClusterTls.channelCredentials(tls);
    }

    /** Plaintext channels whose calls carry no token. */
    public ChannelPool() {
        this(Optional.empty(), Optional.empty());
    }

    /** The channel to {@code address}. */
    public ManagedChannel get(String address) {
        return channels.computeIfAbsent(address, a -> open(a, token, credentials, MAX_MESSAGE_BYTES));
    }

    /** A plaintext channel to {@code address} whose calls carry {@code token}, when there is one. */
    public static ManagedChannel open(String address, Optional<ClusterToken> token, int maxInboundBytes) {
        return open(address, token, InsecureChannelCredentials.create(), maxInboundBytes);
    }

    /** A channel to {@code address} over {@code tls}, when there is one, whose calls carry {@code token}, when there is one. */
    public static ManagedChannel open(String address, Optional<ClusterToken> token, Optional<ClusterTls> tls, int maxInboundBytes) {
        return open(address, token, ClusterTls.channelCredentials(tls), maxInboundBytes);
    }

    private static ManagedChannel open(String address, Optional<ClusterToken> token, ChannelCredentials credentials, int maxInboundBytes) {
        ManagedChannelBuilder<?> b = Grpc.newChannelBuilder(address, credentials).maxInboundMessageSize(maxInboundBytes);
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
