package dev.sluice.e2e;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * gRPC calls with raw bytes for messages, so that a test can send what no generated stub would:
 * random bytes and damaged messages, to any method, with the cluster token.
 */
final class RawGrpc {

    private static final MethodDescriptor.Marshaller<byte[]> BYTES = new MethodDescriptor.Marshaller<>() {
        @Override
        public InputStream stream(byte[] value) {
            return new ByteArrayInputStream(value);
        }

        @Override
        public byte[] parse(InputStream stream) {
            try {
                return stream.readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    };

    private RawGrpc() {
    }

    /** {@code method} with byte arrays for its request and response. */
    static MethodDescriptor<byte[], byte[]> raw(MethodDescriptor<?, ?> method) {
        return method.toBuilder(BYTES, BYTES).build();
    }

    /**
     * Sends {@code messages} on a new call of {@code method} with {@code token}, half-closes, and
     * waits for the call to end or, for a method that streams back, for its first message (OK: the
     * server took the request); then cancels it. A call that does neither within {@code timeoutMs} is reported as DEADLINE_EXCEEDED.
     */
    static Status call(Channel channel, MethodDescriptor<byte[], byte[]> method, String token, List<byte[]> messages,
            long timeoutMs) throws InterruptedException {
        ClientCall<byte[], byte[]> call = channel.newCall(method, CallOptions.DEFAULT);
        CompletableFuture<Status> ended = new CompletableFuture<>();
        Metadata headers = new Metadata();
        headers.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + token);
        call.start(new ClientCall.Listener<>() {
            @Override
            public void onMessage(byte[] message) {
                if (!method.getType().serverSendsOneMessage()) {
                    ended.complete(Status.OK);
                }
            }

            @Override
            public void onClose(Status status, Metadata trailers) {
                ended.complete(status);
            }
        }, headers);
        call.request(1);
        for (byte[] m : messages) {
            call.sendMessage(m);
        }
        call.halfClose();
        try {
            return ended.get(timeoutMs, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            return Status.DEADLINE_EXCEEDED.withDescription("no answer within " + timeoutMs + " ms");
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        } finally {
            // A stream the server keeps open (it took the request) is not needed any further.
            call.cancel("fuzz: done", null);
        }
    }
}
