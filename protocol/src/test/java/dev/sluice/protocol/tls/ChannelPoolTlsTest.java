package dev.sluice.protocol.tls;

import dev.sluice.protocol.BlockAck;
import dev.sluice.protocol.BlockReport;
import dev.sluice.protocol.BlockTrackerGrpc;
import dev.sluice.protocol.client.ChannelPool;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.TlsServerCredentials;
import io.grpc.stub.StreamObserver;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Channels of a {@link ChannelPool} against a TLS-only gRPC server whose certificate names
 * {@code localhost} only: trusted and refused clients, and the host name check.
 */
class ChannelPoolTlsTest {

    @TempDir
    static Path dir;

    private static TestCertificates certs;
    private static TestCertificates otherCa;
    private static Server server;

    @BeforeAll
    static void start() throws Exception {
        certs = TestCertificates.create(dir.resolve("cluster"), "dns:localhost");
        otherCa = TestCertificates.create(dir.resolve("other"), "dns:localhost");
        server = Grpc.newServerBuilderForPort(0, TlsServerCredentials.create(certs.cert().toFile(), certs.key().toFile()))
                .addService(new BlockTrackerGrpc.BlockTrackerImplBase() {
                    @Override
                    public void reportBlock(BlockReport request, StreamObserver<BlockAck> response) {
                        response.onNext(BlockAck.getDefaultInstance());
                        response.onCompleted();
                    }
                }).build().start();
    }

    @AfterAll
    static void stop() throws InterruptedException {
        server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }

    @Test
    void aClientTrustingTheCaIsServed() {
        assertEquals(Status.Code.OK, call("localhost", Optional.of(tls(certs.ca(), true))));
    }

    @Test
    void aPlaintextClientIsRefused() {
        assertEquals(Status.Code.UNAVAILABLE, call("localhost", Optional.empty()));
    }

    @Test
    void aClientTrustingAnotherCaIsRefused() {
        assertEquals(Status.Code.UNAVAILABLE, call("localhost", Optional.of(tls(otherCa.ca(), true))));
        assertEquals(Status.Code.UNAVAILABLE, call("localhost", Optional.of(tls(otherCa.ca(), false))));
    }

    @Test
    void aHostTheCertificateDoesNotNameIsRefusedUnlessHostNamesAreNotVerified() {
        assertEquals(Status.Code.UNAVAILABLE, call("127.0.0.1", Optional.of(tls(certs.ca(), true))));
        assertEquals(Status.Code.OK, call("127.0.0.1", Optional.of(tls(certs.ca(), false))));
    }

    private static ClusterTls tls(Path ca, boolean verifyHostname) {
        return new ClusterTls(certs.cert(), certs.key(), ca, verifyHostname);
    }

    private static Status.Code call(String host, Optional<ClusterTls> tls) {
        ManagedChannel channel = ChannelPool.open(host + ":" + server.getPort(), Optional.empty(), tls, 1 << 20);
        try {
            BlockTrackerGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS)
                    .reportBlock(BlockReport.getDefaultInstance());
            return Status.Code.OK;
        } catch (StatusRuntimeException e) {
            return e.getStatus().getCode();
        } finally {
            channel.shutdownNow();
        }
    }
}
