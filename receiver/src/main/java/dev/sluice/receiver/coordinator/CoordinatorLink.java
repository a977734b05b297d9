package dev.sluice.receiver.coordinator;

import com.google.common.util.concurrent.FutureCallback;
import com.google.common.util.concurrent.Futures;
import com.google.common.util.concurrent.MoreExecutors;
import dev.sluice.protocol.BlockAck;
import dev.sluice.protocol.BlockRef;
import dev.sluice.protocol.BlockReport;
import dev.sluice.protocol.BlockTrackerGrpc;
import dev.sluice.protocol.ReceiverCommand;
import dev.sluice.protocol.ReceiverHello;
import dev.sluice.protocol.RunningSource;
import dev.sluice.protocol.client.Backoff;
import dev.sluice.receiver.block.Block;
import dev.sluice.receiver.block.BlockReporter;
import dev.sluice.receiver.replica.Replica;
import dev.sluice.receiver.replica.ReplicaReporter;
import io.grpc.ConnectivityState;
import io.grpc.ManagedChannel;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The receiver's side of the {@code BlockTracker} contract. It keeps one {@code Attach}
 * stream open to the coordinator, re-attaching with backoff whenever the stream fails or
 * ends, and hands every {@link ReceiverCommand} that arrives (an assignment, a rate limit,
 * processed blocks, peers) to a consumer. Each attach names the sources the receiver runs
 * already, and every attach after the first is announced ({@code onReattached}), so that the
 * receiver can report again what it holds: the coordinator may have restarted, or reports may
 * have been lost in the outage. It also reports blocks ({@link BlockReporter}) and the
 * replicas it keeps for peers ({@link ReplicaReporter}).
 *
 * <p>The contract has no acknowledgement of an attach, so the link counts as attached while
 * its stream is open and the channel is connected, or once a command arrived on it.
 */
public final class CoordinatorLink implements BlockReporter, ReplicaReporter {

    /** How long one block report may take before it counts as failed and is retried. */
    public static final Duration REPORT_DEADLINE = Duration.ofSeconds(10);

    private static final Logger LOG = Logger.getLogger(CoordinatorLink.class);

    private final ManagedChannel channel;
    private final String target;
    private final String receiverId;
    private final String address;
    private final ScheduledExecutorService scheduler;
    private final BlockTrackerGrpc.BlockTrackerStub asyncStub;
    private final BlockTrackerGrpc.BlockTrackerBlockingStub blockingStub;
    private final BlockTrackerGrpc.BlockTrackerFutureStub futureStub;

    private final Backoff backoff = Backoff.standard();
    private boolean inOutage;

    private volatile Consumer<ReceiverCommand> onCommand;
    private volatile Supplier<List<RunningSource>> running = List::of;
    private volatile Runnable onReattached = () -> { };
    private boolean attachedBefore;
    private volatile AttachStream current;
    private volatile boolean closed;

    /**
     * A link over {@code channel} (to the coordinator at {@code target}, for logs), for the
     * receiver {@code receiverId} whose block store is at {@code address}. Re-attaches are
     * scheduled on {@code scheduler}. The link owns the channel and shuts it down in
     * {@link #close()}.
     */
    public CoordinatorLink(ManagedChannel channel, String target, String receiverId, String address,
            ScheduledExecutorService scheduler) {
        this.channel = channel;
        this.target = target;
        this.receiverId = receiverId;
        this.address = address;
        this.scheduler = scheduler;
        this.asyncStub = BlockTrackerGrpc.newStub(channel);
        this.blockingStub = BlockTrackerGrpc.newBlockingStub(channel);
        this.futureStub = BlockTrackerGrpc.newFutureStub(channel);
    }

    /** Attaches, handing each command received (on a gRPC thread, in order) to {@code onCommand}. */
    public void start(Consumer<ReceiverCommand> onCommand) {
        start(onCommand, List::of, () -> { });
    }

    /**
     * Attaches, handing each command received (on a gRPC thread, in order) to {@code onCommand}.
     * Each attach names the sources {@code running} gives; {@code onReattached} runs (on a gRPC
     * thread: briefly) when an attach stream after the first one is established.
     */
    public void start(Consumer<ReceiverCommand> onCommand, Supplier<List<RunningSource>> running,
            Runnable onReattached) {
        this.running = running;
        this.onReattached = onReattached;
        this.onCommand = onCommand;
        LOG.infof("attaching to the coordinator at %s as receiver %s (blocks served at %s)", target, receiverId, address);
        attach();
    }

    /** Whether the attach stream is open and connected. */
    public boolean isAttached() {
        AttachStream s = current;
        return s != null && s.open && (s.received || channel.getState(false) == ConnectivityState.READY);
    }

    /** The address reported to the coordinator as where this receiver's blocks are fetched. */
    public String address() {
        return address;
    }

    @Override
    public Outcome report(Block block) {
        BlockReport report = reportOf(block).build();
        BlockAck ack = blockingStub.withDeadlineAfter(REPORT_DEADLINE.toMillis(), TimeUnit.MILLISECONDS)
                .reportBlock(report);
        return outcome(block.id(), ack);
    }

    /** A report of {@code block} as stored at this receiver's address. */
    private BlockReport.Builder reportOf(Block block) {
        return BlockReport.newBuilder()
                .setJob(block.job())
                .setNode(block.node())
                .setBlock(BlockRef.newBuilder()
                        .setBlockId(block.id())
                        .setAddress(address)
                        .setRecords(block.records()))
                .setReceivedAtMs(block.receivedAtMs());
    }

    /** Reports a replica of a peer's block that this receiver keeps, at this receiver's address. */
    @Override
    public CompletableFuture<Outcome> reportReplica(Replica replica) {
        Block block = replica.block();
        BlockReport report = reportOf(block).setReplica(true).build();
        CompletableFuture<Outcome> outcome = new CompletableFuture<>();
        Futures.addCallback(futureStub.withDeadlineAfter(REPORT_DEADLINE.toMillis(), TimeUnit.MILLISECONDS)
                .reportBlock(report), new FutureCallback<>() {
                    @Override
                    public void onSuccess(BlockAck ack) {
                        try {
                            outcome.complete(outcome(block.id(), ack));
                        } catch (RuntimeException e) {
                            outcome.completeExceptionally(e);
                        }
                    }

                    @Override
                    public void onFailure(Throwable t) {
                        outcome.completeExceptionally(t);
                    }
                }, MoreExecutors.directExecutor());
        return outcome;
    }

    private static Outcome outcome(String blockId, BlockAck ack) {
        if (ack.getAlreadyProcessed()) {
            return Outcome.ALREADY_PROCESSED;
        }
        if (!ack.getAccepted()) {
            throw new BlockNotAcceptedException(blockId, ack.getError());
        }
        return Outcome.ACCEPTED;
    }

    /** Detaches for good and shuts the channel down. */
    public void close() {
        closed = true;
        AttachStream s = current;
        if (s != null) {
            s.cancel();
        }
        channel.shutdownNow();
    }

    private void attach() {
        if (closed) {
            return;
        }
        AttachStream stream = new AttachStream();
        current = stream;
        asyncStub.attach(ReceiverHello.newBuilder().setReceiverId(receiverId).setAddress(address)
                .addAllRunning(running.get()).build(), stream);
    }

    private synchronized void established() {
        backoff.reset();
        if (inOutage) {
            LOG.infof("attached to the coordinator at %s again", target);
            inOutage = false;
        }
    }

    /** The first command arrived on a stream: it is established. */
    private void firstCommand() {
        boolean again;
        synchronized (this) {
            again = attachedBefore;
            attachedBefore = true;
        }
        established();
        if (again) {
            try {
                onReattached.run();
            } catch (RuntimeException e) {
                LOG.error("reacting to the re-attach failed", e);
            }
        }
    }

    private void ended(AttachStream stream, String why) {
        if (closed) {
            return;
        }
        long delay;
        synchronized (this) {
            // A stream that lived longer than the longest backoff was a working attachment, not a retry.
            if (stream.ageMillis() >= backoff.maxDelayMillis()) {
                established();
            }
            if (!inOutage) {
                LOG.warnf("the attach stream to the coordinator at %s %s; re-attaching with backoff", target, why);
                inOutage = true;
            } else {
                LOG.debugf("attaching to the coordinator at %s failed again: %s", target, why);
            }
            delay = backoff.nextDelayMillis();
        }
        try {
            scheduler.schedule(this::attach, delay, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // The receiver is shutting down: there is nothing left to attach for.
            LOG.debug("not re-attaching: the scheduler is shut down");
        }
    }

    /** One Attach call: its state, and the callbacks gRPC delivers in order. */
    private final class AttachStream implements ClientResponseObserver<ReceiverHello, ReceiverCommand> {
        private final long startedAtNanos = System.nanoTime();
        private volatile ClientCallStreamObserver<ReceiverHello> call;
        volatile boolean open = true;
        volatile boolean received;

        @Override
        public void beforeStart(ClientCallStreamObserver<ReceiverHello> call) {
            this.call = call;
        }

        @Override
        public void onNext(ReceiverCommand command) {
            if (!received) {
                received = true;
                firstCommand();
            }
            try {
                onCommand.accept(command);
            } catch (RuntimeException e) {
                // One bad command must not tear down the stream that carries the others.
                LOG.errorf(e, "cannot carry out the coordinator's %s command", command.getKindCase());
            }
        }

        @Override
        public void onError(Throwable t) {
            open = false;
            ended(this, "failed (" + t.getMessage() + ")");
        }

        @Override
        public void onCompleted() {
            open = false;
            ended(this, "was closed by the coordinator");
        }

        long ageMillis() {
            return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedAtNanos);
        }

        void cancel() {
            ClientCallStreamObserver<ReceiverHello> c = call;
            if (c != null) {
                c.cancel("receiver shutting down", null);
            }
        }
    }
}
