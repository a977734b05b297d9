package dev.sluice.worker.rest;

import dev.sluice.protocol.auth.ClusterToken;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.Provider;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.logging.Logger;

/**
 * With a cluster token configured, every request that changes something ({@code POST},
 * {@code PUT}, {@code DELETE}, {@code PATCH} under {@code /api/}) must carry it as
 * {@code Authorization: Bearer <token>}; otherwise it gets 401, and the refusal is logged
 * without the token. Reads stay open.
 */
@Provider
public class TokenFilter implements ContainerRequestFilter {

    private static final Logger LOG = Logger.getLogger(TokenFilter.class.getName());
    private static final Set<String> MUTATIONS = Set.of("POST", "PUT", "DELETE", "PATCH");

    private final Optional<ClusterToken> token;

    TokenFilter(@ConfigProperty(name = "sluice.cluster.token") Optional<String> configured) {
        this.token = ClusterToken.of(configured);
    }

    @Override
    public void filter(ContainerRequestContext request) {
        String path = request.getUriInfo().getPath();
        if (token.isEmpty() || !MUTATIONS.contains(request.getMethod())
                || !(path.startsWith("/api/") || path.startsWith("api/"))) {
            return;
        }
        String presented = request.getHeaderString(HttpHeaders.AUTHORIZATION);
        if (token.get().accepts(presented)) {
            return;
        }
        LOG.warning(() -> "refused " + request.getMethod() + " " + request.getUriInfo().getPath() + ": "
                + (presented == null ? "no token" : "a wrong token"));
        request.abortWith(Response.status(401).type("application/problem+json").header(HttpHeaders.WWW_AUTHENTICATE, "Bearer")
                .entity(Map.of("type", "about:blank", "title", "Unauthorized", "status", 401,
                        "detail", "this request changes something and needs the cluster token: "
                                + "send Authorization: Bearer <token> (the CLI sends $SLUICE_TOKEN)"))
                .build());
    }
}
