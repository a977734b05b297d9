package dev.sluice.receiver.ingest;

import dev.sluice.protocol.auth.ClusterToken;
import dev.sluice.protocol.check.Refusal;
import dev.sluice.protocol.check.RefusalCounter;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.Provider;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.util.Optional;

/**
 * With a cluster token configured, a POST to {@code /api/ingest/{path}} must carry it
 * ({@code Authorization: Bearer <token>}): 401 otherwise ({@link ClusterToken#refusesHttp}),
 * counted in {@code sluice_refused_total{boundary="http_ingest",reason="unauthenticated"}}.
 * Runs before the request is matched to a resource, so a caller without the token learns
 * nothing of which paths and methods exist.
 */
@Provider
@PreMatching
public class TokenFilter implements ContainerRequestFilter {

    private final Optional<ClusterToken> token;
    private final RefusalCounter refusals;

    TokenFilter(@ConfigProperty(name = "sluice.cluster.token") Optional<String> configured, RefusalCounter refusals) {
        this.token = ClusterToken.of(configured);
        this.refusals = refusals;
    }

    @Override
    public void filter(ContainerRequestContext request) {
        ClusterToken.refusesHttp(token, request.getMethod(), request.getUriInfo().getPath(),
                request.getHeaderString(HttpHeaders.AUTHORIZATION)).ifPresent(detail -> {
                    refusals.count(RefusalCounter.Boundary.HTTP_INGEST, Refusal.Reason.UNAUTHENTICATED);
                    request.abortWith(Response.status(401).type("application/problem+json")
                            .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer").entity(ClusterToken.unauthorizedProblem(detail))
                            .build());
                });
    }
}
