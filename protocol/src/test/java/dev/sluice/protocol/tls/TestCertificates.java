package dev.sluice.protocol.tls;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A throwaway CA and a server certificate it signed for the host names and IPs given, as the
 * PEM files {@code ca.crt}, {@code tls.crt} and {@code tls.key} (the names of a
 * kubernetes.io/tls Secret) under a directory. Made with the JDK's own keytool: no network,
 * no openssl.
 *
 * @param ca   the CA's certificate
 * @param cert the server's certificate, then the CA's
 * @param key  the server's private key (PKCS#8)
 */
public record TestCertificates(Path ca, Path cert, Path key) {

    private static final String PASS = "throwaway";

    /**
     * Makes them under {@code dir}.
     *
     * @param san the subject alternative names, keytool style: {@code dns:localhost,ip:127.0.0.1}
     */
    public static TestCertificates create(Path dir, String san) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        Path caStore = dir.resolve("ca.p12");
        Path serverStore = dir.resolve("server.p12");
        Path csr = dir.resolve("server.csr");
        Path serverCert = dir.resolve("server.crt");
        TestCertificates files = new TestCertificates(dir.resolve("ca.crt"), dir.resolve("tls.crt"), dir.resolve("tls.key"));
        keytool("-genkeypair", "-alias", "ca", "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "2",
                "-dname", "CN=sluice-test-ca-" + dir.getFileName(), "-ext", "bc:c", "-keystore", caStore.toString());
        keytool("-exportcert", "-rfc", "-alias", "ca", "-keystore", caStore.toString(), "-file", files.ca.toString());
        keytool("-genkeypair", "-alias", "server", "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "2",
                "-dname", "CN=sluice-test-server", "-keystore", serverStore.toString());
        keytool("-certreq", "-alias", "server", "-keystore", serverStore.toString(), "-file", csr.toString());
        keytool("-gencert", "-rfc", "-alias", "ca", "-keystore", caStore.toString(), "-validity", "2",
                "-ext", "SAN=" + san, "-ext", "EKU=serverAuth,clientAuth", "-infile", csr.toString(), "-outfile", serverCert.toString());
        Files.writeString(files.cert, Files.readString(serverCert) + Files.readString(files.ca));
        Files.writeString(files.key, pem("PRIVATE KEY", privateKey(serverStore).getEncoded()));
        return files;
    }

    private static PrivateKey privateKey(Path store) throws IOException {
        try (InputStream in = Files.newInputStream(store)) {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(in, PASS.toCharArray());
            return (PrivateKey) ks.getKey("server", PASS.toCharArray());
        } catch (GeneralSecurityException e) {
            throw new IOException("reading the key from " + store, e);
        }
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, new byte[]{'\n'}).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    private static void keytool(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-J-XX:TieredStopAtLevel=1", "-J-Xshare:auto", "-noprompt", "-storetype", "PKCS12", "-storepass", PASS, "-keypass", PASS));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("keytool " + String.join(" ", args) + " failed: " + out);
        }
    }
}
