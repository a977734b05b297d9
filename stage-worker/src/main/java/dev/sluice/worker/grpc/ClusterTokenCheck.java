package dev.sluice.worker.grpc;

import dev.sluice.protocol.auth.ClusterToken;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.quarkus.grpc.GlobalInterceptor;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.util.Optional;

/** Every gRPC call this app serves must carry the cluster token, when one is configured. */
@ApplicationScoped
@GlobalInterceptor
public class ClusterTokenCheck implements ServerInterceptor {

    private final ServerInterceptor check;

    ClusterTokenCheck(@ConfigProperty(name = "sluice.cluster.token") Optional<String> token) {
        this.check = ClusterToken.checker(ClusterToken.of(token));
    }

    @Override
    public <Q, A> ServerCall.Listener<Q> interceptCall(ServerCall<Q, A> call, Metadata headers, ServerCallHandler<Q, A> next) {
        return check.interceptCall(call, headers, next);
    }
}
