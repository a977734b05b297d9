package dev.sluice.protocol.tls;

import io.smallrye.config.WithDefault;

import java.util.Optional;

/**
 * The {@code sluice.tls.*} settings, as each app's configuration mapping declares them (so
 * that a misspelt key is refused at start); {@link ClusterTls} reads them (docs/security.md).
 */
public interface TlsSettings {

    /** Serve gRPC and HTTP over TLS only, and dial peers over TLS. */
    @WithDefault("false")
    boolean enabled();

    /** The PEM certificate chain this process serves. */
    Optional<String> cert();

    /** Its PEM private key. */
    Optional<String> key();

    /** The PEM CA certificate(s) a peer's certificate must lead to. */
    Optional<String> ca();

    /** Whether a peer's certificate must name the host it is dialled by. */
    @WithDefault("true")
    boolean verifyHostname();
}
