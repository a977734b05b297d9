package dev.sluice.protocol.tls;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ClusterTlsTest {

    @TempDir
    Path dir;

    private Optional<ClusterTls> read(Map<String, String> props) {
        return ClusterTls.from(name -> Optional.ofNullable(props.get(name)));
    }

    private Map<String, String> enabled() throws Exception {
        Map<String, String> props = new HashMap<>(Map.of(ClusterTls.ENABLED, "true"));
        for (String f : new String[]{ClusterTls.CERT, ClusterTls.KEY, ClusterTls.CA}) {
            Path p = dir.resolve(f);
            Files.writeString(p, "x");
            props.put(f, p.toString());
        }
        return props;
    }

    @Test
    void offUnlessEnabled() throws Exception {
        assertTrue(read(Map.of()).isEmpty());
        Map<String, String> props = enabled();
        props.put(ClusterTls.ENABLED, "false");
        assertTrue(read(props).isEmpty(), "files alone do not turn TLS on");
    }

    @Test
    void enabledReadsTheFilesAndVerifiesHostNamesByDefault() throws Exception {
        ClusterTls tls = read(enabled()).orElseThrow();
        assertEquals(dir.resolve(ClusterTls.CA), tls.ca());
        assertTrue(tls.verifyHostname());
        Map<String, String> props = enabled();
        props.put(ClusterTls.VERIFY_HOSTNAME, "false");
        assertEquals(false, read(props).orElseThrow().verifyHostname());
    }

    @Test
    void aMissingOrUnreadableFileIsNamed() throws Exception {
        Map<String, String> props = enabled();
        props.remove(ClusterTls.KEY);
        assertEquals("sluice.tls.key must be set when sluice.tls.enabled is true",
                assertThrows(IllegalArgumentException.class, () -> read(props)).getMessage());
        props.put(ClusterTls.KEY, dir.resolve("nope.key").toString());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> read(props)).getMessage()
                .startsWith("sluice.tls.key: cannot read "));
    }

    @Test
    void aBadFlagIsNamed() throws Exception {
        Map<String, String> props = enabled();
        props.put(ClusterTls.ENABLED, "yes");
        assertEquals("sluice.tls.enabled must be true or false, got 'yes'",
                assertThrows(IllegalArgumentException.class, () -> read(props)).getMessage());
    }

    @Test
    void aCaFileWithoutCertificateIsNamed() throws Exception {
        ClusterTls tls = read(enabled()).orElseThrow();
        assertTrue(assertThrows(IllegalArgumentException.class, tls::channelCredentials).getMessage().startsWith("sluice.tls.ca: "));
    }

    @Test
    void serversServeTlsOnlyOnTheirOwnPorts() throws Exception {
        ClusterTls tls = read(enabled()).orElseThrow();
        Map<String, String> p = tls.serverProperties();
        assertEquals(tls.cert().toString(), p.get("quarkus.grpc.server.ssl.certificate"));
        assertEquals(tls.key().toString(), p.get("quarkus.grpc.server.ssl.key"));
        assertEquals(tls.cert().toString(), p.get("quarkus.tls.sluice.key-store.pem.a.cert"));
        assertEquals("sluice", p.get("quarkus.http.tls-configuration-name"));
        assertEquals("disabled", p.get("quarkus.http.insecure-requests"));
        assertEquals("${quarkus.http.port}", p.get("quarkus.http.ssl-port"));
    }
}
