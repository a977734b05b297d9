package dev.sluice.worker.grpc;

import dev.sluice.protocol.auth.ClusterToken;
import dev.sluice.protocol.check.RefusalCounter;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.quarkus.grpc.GlobalInterceptor;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.util.Optional;

/** Every gRPC call this app serves must carry the cluster token, when one is configured; refusals are counted. */
@ApplicationScoped
@GlobalInterceptor
public class ClusterTokenCheck implements ServerInterceptor {

    private final ServerInterceptor check;

    ClusterTokenCheck(@ConfigProperty(name = "sluice.cluster.token") Optional<String> token, RefusalCounter refusals) {
        this.check = ClusterToken.checker(ClusterToken.of(token), refusals);
    }

    @Override
    public <Q, A> ServerCall.Listener<Q> interceptCall(ServerCall<Q, A> call, Metadata headers, ServerCallHandler<Q, A> next) {
        return check.interceptCall(call, headers, next);
    }
}
