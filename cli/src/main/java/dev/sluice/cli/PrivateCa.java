package dev.sluice.cli;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Collection;

/**
 * The CA of a cluster that serves HTTPS with its own certificates ({@code SLUICE_CA}, a PEM
 * file such as the chart Secret's {@code ca.crt}): the CLI then trusts it, and only it.
 */
final class PrivateCa {

    private PrivateCa() {
    }

    /**
     * A TLS context trusting the certificates in the PEM file {@code pem}.
     *
     * @throws UsageException when the file cannot be read or holds no certificate
     */
    static SSLContext context(Path pem) {
        try (InputStream in = Files.newInputStream(pem)) {
            Collection<? extends Certificate> certs = CertificateFactory.getInstance("X.509").generateCertificates(in);
            if (certs.isEmpty()) {
                throw new UsageException("SLUICE_CA: no certificate in " + pem);
            }
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            int i = 0;
            for (Certificate c : certs) {
                store.setCertificateEntry("ca-" + i++, c);
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(store);
            SSLContext ssl = SSLContext.getInstance("TLS");
            ssl.init(null, tmf.getTrustManagers(), null);
            return ssl;
        } catch (IOException e) {
            throw new UsageException("SLUICE_CA: cannot read " + pem + " (" + e.getMessage() + ")");
        } catch (GeneralSecurityException e) {
            throw new UsageException("SLUICE_CA: " + pem + " is not a PEM certificate (" + e.getMessage() + ")");
        }
    }
}
