package dev.sluice.protocol.auth;

import dev.sluice.protocol.check.Refusal;
import dev.sluice.protocol.check.RefusalCounter;
import io.grpc.ClientInterceptor;
import io.grpc.ForwardingClientCall;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * The cluster token every gRPC call between Sluice's processes carries
 * ({@code authorization: Bearer <token>}), so that an unknown process can neither register
 * as a worker, report or fetch blocks, nor fetch shuffle data. With no token configured,
 * calls are neither signed nor checked.
 */
public final class ClusterToken {

    /** The metadata key of the token, the same header HTTP uses. */
    public static final Metadata.Key<String> AUTHORIZATION = Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

    private static final Logger LOG = Logger.getLogger(ClusterToken.class.getName());
    private static final String BEARER = "Bearer ";

    private final String token;

    private ClusterToken(String token) {
        this.token = token;
    }

    /**
     * The token {@code configured}, if any.
     *
     * @throws IllegalArgumentException when it is blank or shorter than 16 characters
     */
    public static Optional<ClusterToken> of(Optional<String> configured) {
        return configured.map(t -> {
            if (t.isBlank() || t.length() < 16) {
                throw new IllegalArgumentException("sluice.cluster.token must be at least 16 characters (got "
                        + t.length() + "); generate one, e.g. head -c 32 /dev/urandom | base64");
            }
            return new ClusterToken(t);
        });
    }

    /**
     * Why an HTTP request must be refused, if it must: with a token configured, a request
     * that changes something ({@code POST}, {@code PUT}, {@code DELETE}, {@code PATCH} under
     * {@code /api/}) must carry it. Reads stay open.
     *
     * @return the refusal's detail, for a 401 answer; empty when the request may go on
     */
    public static Optional<String> refusesHttp(Optional<ClusterToken> token, String method, String path,
                                               String authorization) {
        return refusesHttp(token, true, method, path, authorization);
    }

    /**
     * As {@link #refusesHttp(Optional, String, String, String)}, and with {@code openReads}
     * false every other request under {@code /api/} must carry the token too.
     */
    public static Optional<String> refusesHttp(Optional<ClusterToken> token, boolean openReads, String method,
                                               String path, String authorization) {
        boolean mutation = switch (method) {
            case "POST", "PUT", "DELETE", "PATCH" -> true;
            default -> false;
        };
        boolean api = path.startsWith("/api/") || path.startsWith("api/");
        if (token.isEmpty() || !api || (!mutation && openReads) || token.get().accepts(authorization)) {
            return Optional.empty();
        }
        LOG.warning(() -> "refused " + method + " " + path + ": " + (authorization == null ? "no token" : "a wrong token"));
        return Optional.of((mutation ? "this request changes something and needs the cluster token"
                : "reads need the cluster token here (sluice.cluster.open-reads=false)")
                + ": send Authorization: Bearer <token> (the CLI sends $SLUICE_TOKEN)");
    }

    /** The {@code application/problem+json} body of the 401 answer to a request refused with {@code detail}. */
    public static Map<String, Object> unauthorizedProblem(String detail) {
        return Map.of("type", "about:blank", "title", "Unauthorized", "status", 401, "detail", detail);
    }

    /** Whether an {@code Authorization} header value carries this token; compared in constant time. */
    public boolean accepts(String authorization) {
        if (authorization == null || !authorization.startsWith(BEARER)) {
            return false;
        }
        return MessageDigest.isEqual(token.getBytes(StandardCharsets.UTF_8),
                authorization.substring(BEARER.length()).getBytes(StandardCharsets.UTF_8));
    }

    /** Signs every call of a channel with the token. */
    public ClientInterceptor signer() {
        String value = BEARER + token;
        return new ClientInterceptor() {
            @Override
            public <Q, A> io.grpc.ClientCall<Q, A> interceptCall(io.grpc.MethodDescriptor<Q, A> method,
                                                                io.grpc.CallOptions options, io.grpc.Channel next) {
                return new ForwardingClientCall.SimpleForwardingClientCall<>(next.newCall(method, options)) {
                    @Override
                    public void start(Listener<A> listener, Metadata headers) {
                        headers.put(AUTHORIZATION, value);
                        super.start(listener, headers);
                    }
                };
            }
        };
    }

    /**
     * A check of {@code token} when there is one, else one that lets every call through; each
     * refused call is counted in {@code refusals} under its service's boundary.
     */
    public static ServerInterceptor checker(Optional<ClusterToken> token, RefusalCounter refusals) {
        return token.map(t -> t.checker(refusals)).orElse(new ServerInterceptor() {
            @Override
            public <Q, A> ServerCall.Listener<Q> interceptCall(ServerCall<Q, A> call, Metadata headers,
                                                               ServerCallHandler<Q, A> next) {
                return next.startCall(call, headers);
            }
        });
    }

    /**
     * Refuses every call that does not carry the token, with {@code UNAUTHENTICATED}, and counts
     * it in {@code refusals}; the token is never logged.
     */
    public ServerInterceptor checker(RefusalCounter refusals) {
        return new ServerInterceptor() {
            @Override
            public <Q, A> ServerCall.Listener<Q> interceptCall(ServerCall<Q, A> call, Metadata headers,
                                                               ServerCallHandler<Q, A> next) {
                String presented = headers.get(AUTHORIZATION);
                if (accepts(presented)) {
                    return next.startCall(call, headers);
                }
                refusals.count(RefusalCounter.Boundary.ofService(call.getMethodDescriptor().getServiceName()),
                        Refusal.Reason.UNAUTHENTICATED);
                String method = call.getMethodDescriptor().getFullMethodName();
                LOG.warning(() -> "refused " + method + " from " + call.getAttributes().get(io.grpc.Grpc.TRANSPORT_ATTR_REMOTE_ADDR)
                        + ": " + (presented == null ? "no cluster token" : "a wrong cluster token"));
                call.close(Status.UNAUTHENTICATED.withDescription(
                        "this call needs the cluster token (authorization: Bearer <sluice.cluster.token>)"), new Metadata());
                return new ServerCall.Listener<>() { };
            }
        };
    }
}
