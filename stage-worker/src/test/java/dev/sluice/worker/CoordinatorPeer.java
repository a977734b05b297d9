package dev.sluice.worker;

import dev.sluice.protocol.ControlGrpc;
import dev.sluice.protocol.CoordinatorMessage;
import dev.sluice.protocol.Registered;
import dev.sluice.protocol.WorkerMessage;
import io.grpc.Server;
import io.grpc.ServerBuilder;
import io.grpc.stub.StreamObserver;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * The coordinator's side of the control stream, for tests: accepts one worker, answers
 * its registration with epoch 7, and lets the test send messages and read what the
 * worker sends.
 */
public class CoordinatorPeer implements QuarkusTestResourceLifecycleManager {

    static final long EPOCH = 7;

    static final BlockingQueue<WorkerMessage> FROM_WORKER = new LinkedBlockingQueue<>();
    static volatile StreamObserver<CoordinatorMessage> toWorker;
    private Server server;

    @Override
    public Map<String, String> start() {
        try {
            server = ServerBuilder.forPort(0).addService(new ControlGrpc.ControlImplBase() {
                @Override
                public StreamObserver<WorkerMessage> connect(StreamObserver<CoordinatorMessage> down) {
                    return new StreamObserver<>() {
                        @Override
                        public void onNext(WorkerMessage m) {
                            if (m.hasRegister()) {
                                toWorker = down;
                                send(CoordinatorMessage.newBuilder().setRegistered(Registered.newBuilder()
                                        .setEpoch(EPOCH).setHeartbeatIntervalMs(200)).build());
                            }
                            FROM_WORKER.add(m);
                        }

                        @Override
                        public void onError(Throwable t) {
                        }

                        @Override
                        public void onCompleted() {
                            down.onCompleted();
                        }
                    };
                }
            }).build().start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Map.of("sluice.coordinator.address", "localhost:" + server.getPort(),
                "sluice.worker.id", "test-worker", "sluice.worker.slots", "3");
    }

    /** Sends {@code m} down the registered worker's stream. */
    static synchronized void send(CoordinatorMessage m) {
        toWorker.onNext(m);
    }

    @Override
    public void stop() {
        server.shutdownNow();
    }
}
