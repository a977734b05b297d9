package dev.sluice.coordinator.rest;

import dev.sluice.protocol.auth.ClusterToken;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.Provider;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.util.Map;
import java.util.Optional;

/** REST mutations need the cluster token, when one is configured: 401 otherwise ({@link ClusterToken#refusesHttp}). */
@Provider
public class TokenFilter implements ContainerRequestFilter {

    private final Optional<ClusterToken> token;

    TokenFilter(@ConfigProperty(name = "sluice.cluster.token") Optional<String> configured) {
        this.token = ClusterToken.of(configured);
    }

    @Override
    public void filter(ContainerRequestContext request) {
        ClusterToken.refusesHttp(token, request.getMethod(), request.getUriInfo().getPath(),
                request.getHeaderString(HttpHeaders.AUTHORIZATION)).ifPresent(detail -> request.abortWith(
                Response.status(401).type("application/problem+json").header(HttpHeaders.WWW_AUTHENTICATE, "Bearer")
                        .entity(Map.of("type", "about:blank", "title", "Unauthorized", "status", 401, "detail", detail))
                        .build()));
    }
}
