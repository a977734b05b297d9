package dev.sluice.e2e;

import dev.sluice.protocol.BlockReport;
import dev.sluice.protocol.BlockTrackerGrpc;
import dev.sluice.protocol.auth.ClusterToken;
import dev.sluice.protocol.client.ChannelPool;
import dev.sluice.protocol.tls.ClusterTls;
import dev.sluice.protocol.tls.TestCertificates;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A cluster with {@code sluice.tls.enabled}: workers register, blocks are reported and fetched
 * and shuffle data moves between two workers, all over TLS, and the job counts every word.
 * The coordinator then refuses a plaintext gRPC client, a gRPC client that trusts another CA,
 * and plain HTTP; the CLI reaches it with {@code SLUICE_CA}.
 */
class TlsIT {

    @TempDir
    Path tmp;

    @Test
    void aJobRunsOverTlsAndNothingElseGetsIn() throws Exception {
        TestCertificates certs = TestCertificates.create(tmp.resolve("cluster"), "dns:localhost,ip:127.0.0.1");
        TestCertificates otherCa = TestCertificates.create(tmp.resolve("other"), "dns:localhost,ip:127.0.0.1");
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            lines.add("over tls " + i % 7);
        }
        Path out = tmp.resolve("out");
        try (CorpusServer source = new CorpusServer(lines, 500);
             LocalCluster cluster = new LocalCluster("tls", certs)) {
            cluster.coordinator("wordcount", Map.of(
                            "source", "socket://localhost:" + source.port(),
                            "output", out.resolve("wc").toString(),
                            "batch", "1s"))
                    .receiver(0)
                    .worker(0, 2)
                    .worker(1, 2);
            cluster.awaitRecords("wordcount", lines.size(), Duration.ofSeconds(90));
            Map<String, Long> counted = CountFiles.sum(out);
            assertEquals(500L, counted.get("over"), "counts " + counted);
            assertEquals(500L, counted.get("tls"), "counts " + counted);

            String grpc = "localhost:" + cluster.grpcPort;
            Optional<ClusterToken> token = ClusterToken.of(Optional.of(LocalCluster.TOKEN));
            // The right CA gets through to the service, which refuses the empty report itself.
            assertEquals(Status.Code.INVALID_ARGUMENT, reportBlock(ChannelPool.open(grpc, token, Optional.of(tls(certs, certs)), 1 << 20)));
            assertEquals(Status.Code.UNAVAILABLE, reportBlock(ChannelPool.open(grpc, token, 1 << 20)), "plaintext");
            assertEquals(Status.Code.UNAVAILABLE, reportBlock(ChannelPool.open(grpc, token, Optional.of(tls(certs, otherCa)), 1 << 20)),
                    "a client trusting another CA");

            HttpRequest live = HttpRequest.newBuilder(URI.create("http://localhost:" + cluster.httpPort + "/q/health/live"))
                    .timeout(Duration.ofSeconds(5)).build();
            assertThrows(IOException.class, () -> HttpClient.newHttpClient().send(live, HttpResponse.BodyHandlers.ofString()),
                    "plain HTTP");
            assertTrue(cluster.url().startsWith("https://") && cluster.get("/q/health/live") != null, "HTTPS trusting the CA");

            // The CLI trusts the cluster's CA with SLUICE_CA, and says what to do without it.
            Cli listed = cli(cluster.url(), certs.ca());
            assertEquals(0, listed.exit(), listed.err());
            assertTrue(listed.out().contains("worker-0") && listed.out().contains("worker-1"), listed.out());
            Cli untrusted = cli(cluster.url(), null);
            assertEquals(3, untrusted.exit(), untrusted.err());
            assertTrue(untrusted.err().contains("TLS handshake failed") && untrusted.err().contains("SLUICE_CA"), untrusted.err());
        }
    }

    private record Cli(int exit, String out, String err) {
    }

    /** {@code sluice workers} against {@code url}, trusting the PEM file {@code ca} when it is not null. */
    private Cli cli(String url, Path ca) throws IOException, InterruptedException {
        ProcessBuilder b = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-jar", CliIT.cliJar().toString(), "--url", url, "workers");
        b.environment().keySet().removeIf(k -> k.startsWith("SLUICE_"));
        if (ca != null) {
            b.environment().put("SLUICE_CA", ca.toString());
        }
        Path out = Files.createTempFile(tmp, "cli", ".out");
        Path err = Files.createTempFile(tmp, "cli", ".err");
        Process p = b.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("the CLI did not finish");
        }
        return new Cli(p.exitValue(), Files.readString(out), Files.readString(err));
    }

    /** Client settings that trust {@code trusted}'s CA. */
    private static ClusterTls tls(TestCertificates own, TestCertificates trusted) {
        return new ClusterTls(own.cert(), own.key(), trusted.ca(), true);
    }

    private static Status.Code reportBlock(ManagedChannel channel) {
        try {
            BlockTrackerGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS).reportBlock(BlockReport.getDefaultInstance());
            return Status.Code.OK;
        } catch (StatusRuntimeException e) {
            return e.getStatus().getCode();
        } finally {
            channel.shutdownNow();
        }
    }
}
