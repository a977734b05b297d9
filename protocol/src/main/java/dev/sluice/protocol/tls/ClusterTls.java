package dev.sluice.protocol.tls;

import io.grpc.ChannelCredentials;
import io.grpc.InsecureChannelCredentials;
import io.grpc.TlsChannelCredentials;
import org.eclipse.microprofile.config.Config;

import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * TLS between a cluster's processes, from PEM files: each process serves gRPC and HTTP with
 * {@code cert} and {@code key}, and its own gRPC channels trust the peers whose certificate
 * {@code ca} signed. Off unless {@value #ENABLED} is {@code true}.
 *
 * @param cert           the PEM certificate chain this process serves
 * @param key            its PEM (PKCS#8 or PKCS#1) private key
 * @param ca             the PEM certificate(s) a peer's chain must lead to
 * @param verifyHostname whether a peer's certificate must name the host it is dialled by
 */
public record ClusterTls(Path cert, Path key, Path ca, boolean verifyHostname) {

    public static final String ENABLED = "sluice.tls.enabled";
    public static final String CERT = "sluice.tls.cert";
    public static final String KEY = "sluice.tls.key";
    public static final String CA = "sluice.tls.ca";
    public static final String VERIFY_HOSTNAME = "sluice.tls.verify-hostname";

    /** The name of the Quarkus TLS configuration the HTTP server uses. */
    static final String QUARKUS_TLS_NAME = "sluice";

    /**
     * The TLS settings in {@code config} (a property's value by its name), if enabled.
     *
     * @throws IllegalArgumentException when enabled and a file is not set or not readable, or
     *                                  a boolean is neither {@code true} nor {@code false}
     */
    public static Optional<ClusterTls> from(Function<String, Optional<String>> config) {
        if (!flag(config, ENABLED, false)) {
            return Optional.empty();
        }
        return Optional.of(new ClusterTls(file(config, CERT), file(config, KEY), file(config, CA),
                flag(config, VERIFY_HOSTNAME, true)));
    }

    /** The TLS settings of an app's {@code config}, if enabled; see {@link #from(Function)}. */
    public static Optional<ClusterTls> from(Config config) {
        return from(name -> config.getOptionalValue(name, String.class));
    }

    private static boolean flag(Function<String, Optional<String>> config, String name, boolean otherwise) {
        String v = config.apply(name).map(String::trim).filter(s -> !s.isEmpty()).orElse(null);
        if (v == null) {
            return otherwise;
        }
        if (!v.equalsIgnoreCase("true") && !v.equalsIgnoreCase("false")) {
            throw new IllegalArgumentException(name + " must be true or false, got '" + v + "'");
        }
        return Boolean.parseBoolean(v);
    }

    private static Path file(Function<String, Optional<String>> config, String name) {
        String v = config.apply(name).map(String::trim).filter(s -> !s.isEmpty())
                .orElseThrow(() -> new IllegalArgumentException(name + " must be set when " + ENABLED + " is true"));
        Path p = Path.of(v);
        if (!Files.isReadable(p)) {
            throw new IllegalArgumentException(name + ": cannot read " + p.toAbsolutePath());
        }
        return p;
    }

    /**
     * The Quarkus properties that make this process serve TLS only: the gRPC server
     * ({@code use-separate-server}) with {@code cert} and {@code key}, which turns its
     * plaintext off, and HTTPS on the HTTP port instead of HTTP.
     */
    public Map<String, String> serverProperties() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("quarkus.grpc.server.ssl.certificate", cert.toString());
        p.put("quarkus.grpc.server.ssl.key", key.toString());
        String tls = "quarkus.tls." + QUARKUS_TLS_NAME + ".key-store.pem.a.";
        p.put(tls + "cert", cert.toString());
        p.put(tls + "key", key.toString());
        p.put("quarkus.http.tls-configuration-name", QUARKUS_TLS_NAME);
        // HTTPS takes the HTTP port, so ports, Services and probes stay as they are.
        p.put("quarkus.http.insecure-requests", "disabled");
        p.put("quarkus.http.ssl-port", "${quarkus.http.port}");
        return p;
    }

    /** Credentials of a channel to a peer: TLS trusting {@code ca}. */
    public ChannelCredentials channelCredentials() {
        X509ExtendedTrustManager trust = trustManager(ca);
        return TlsChannelCredentials.newBuilder()
                .trustManager(verifyHostname ? trust : new ChainOnlyTrustManager(trust)).build();
    }

    /** Credentials of a channel to a peer: {@code tls}'s, or plaintext without it. */
    public static ChannelCredentials channelCredentials(Optional<ClusterTls> tls) {
        return tls.map(ClusterTls::channelCredentials).orElseGet(InsecureChannelCredentials::create);
    }

    /** A trust manager that trusts the certificates in the PEM file {@code ca} and no others. */
    public static X509ExtendedTrustManager trustManager(Path ca) {
        try (InputStream in = Files.newInputStream(ca)) {
            Collection<? extends Certificate> certs = CertificateFactory.getInstance("X.509").generateCertificates(in);
            if (certs.isEmpty()) {
                throw new IllegalArgumentException(CA + ": no certificate in " + ca.toAbsolutePath());
            }
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            int i = 0;
            for (Certificate c : certs) {
                store.setCertificateEntry("ca-" + i++, c);
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(store);
            for (var tm : tmf.getTrustManagers()) {
                if (tm instanceof X509ExtendedTrustManager x) {
                    return x;
                }
            }
            throw new IllegalStateException("the JDK offers no X509ExtendedTrustManager");
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + CA + " " + ca.toAbsolutePath(), e);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException(CA + ": " + ca.toAbsolutePath() + " is not a PEM certificate: " + e.getMessage(), e);
        }
    }
}
