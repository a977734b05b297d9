package dev.sluice.receiver.custom;

import dev.sluice.api.Receiver;
import dev.sluice.receiver.StreamCounters;
import dev.sluice.receiver.rate.TokenBucket;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Runs one custom {@link Receiver}, as Spark's receiver supervisor does: {@code attach} then
 * {@code onStart()}; every record it stores goes, rate-limited, to its stream's block
 * generator; {@code restart} stops it, waits the restart delay, and starts it again;
 * {@code stop} ends it for good. {@code onStart} and {@code onStop} run on a lifecycle thread
 * of the supervisor's own, never on the thread that asked for them, so a receiver may call
 * {@code restart} or {@code stop} from anywhere, {@code onStart} included. An exception from
 * {@code onStart} counts as an error and a restart.
 *
 * <p>Records a receiver's threads store while it is restarting or after it stopped are still
 * taken (the block generator runs on): the supervisor never drops what it was handed.
 */
public final class ReceiverSupervisor implements Receiver.Supervisor<Object> {

    private static final Logger LOG = Logger.getLogger(ReceiverSupervisor.class);

    private enum State { NEW, STARTED, RESTARTING, STOPPED }

    private final String name;
    private final Receiver<Object> receiver;
    private final Consumer<Object> sink;
    private final TokenBucket bucket;
    private final StreamCounters counters;
    private final Duration restartDelay;
    private final ScheduledExecutorService lifecycle;

    private volatile State state = State.NEW;
    /** Whether onStart ran without a matching onStop yet; guarded by this. */
    private boolean receiverRunning;

    /**
     * A supervisor for {@code receiver} (of the stream {@code name}, for logs) that hands stored
     * records to {@code sink} after taking a token from {@code bucket}. Nothing happens until
     * {@link #start()}.
     */
    public ReceiverSupervisor(String name, Receiver<Object> receiver, Consumer<Object> sink, TokenBucket bucket,
            StreamCounters counters, Duration restartDelay) {
        this.name = name;
        this.receiver = receiver;
        this.sink = sink;
        this.bucket = bucket;
        this.counters = counters;
        this.restartDelay = restartDelay;
        this.lifecycle = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "sluice-receiver-" + name.replace(' ', '-'));
            t.setDaemon(true);
            return t;
        });
    }

    /** Attaches the receiver to this supervisor and starts it. */
    public void start() {
        receiver.attach(this);
        LOG.infof("starting custom receiver %s of %s", receiver.getClass().getName(), name);
        submit(this::startReceiver, 0);
    }

    @Override
    public void push(Object record) {
        long waited;
        try {
            waited = bucket.acquire(1);
        } catch (InterruptedException e) {
            // Keep the record: an interrupt asks the receiver's thread to end, not to lose what it holds.
            Thread.currentThread().interrupt();
            waited = 0;
        }
        if (waited > 0) {
            counters.throttled(1, waited);
        }
        sink.accept(record);
    }

    @Override
    public void restart(String message, Throwable error) {
        synchronized (this) {
            if (state == State.STOPPED) {
                LOG.debugf("%s is stopped; not restarting it (%s)", name, message);
                return;
            }
            if (state == State.RESTARTING) {
                LOG.debugf("%s is already restarting (%s)", name, message);
                return;
            }
            state = State.RESTARTING;
        }
        LOG.warnf(error, "restarting the receiver of %s in %d ms: %s", name, restartDelay.toMillis(), message);
        counters.receiverRestarted();
        submit(() -> {
            stopReceiver();
            submit(this::startReceiver, restartDelay.toMillis());
        }, 0);
    }

    @Override
    public void reportError(String message, Throwable error) {
        LOG.errorf(error, "the receiver of %s reported an error: %s", name, message);
        counters.receiverError();
    }

    @Override
    public void stop(String message, Throwable error) {
        synchronized (this) {
            if (state == State.STOPPED) {
                return;
            }
            state = State.STOPPED;
        }
        if (error != null) {
            LOG.errorf(error, "stopping the receiver of %s for good: %s", name, message);
        } else {
            LOG.infof("stopping the receiver of %s for good: %s", name, message);
        }
        submit(this::stopReceiver, 0);
        lifecycle.shutdown();
    }

    @Override
    public boolean isStopped() {
        return state != State.STARTED;
    }

    /** Waits up to {@code timeout} for the receiver's {@code onStop} after {@link #stop}. */
    public boolean awaitStopped(Duration timeout) throws InterruptedException {
        return lifecycle.awaitTermination(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void startReceiver() {
        synchronized (this) {
            if (state == State.STOPPED) {
                return;
            }
            state = State.STARTED;
            receiverRunning = true;
        }
        try {
            receiver.onStart();
        } catch (Throwable t) {
            reportError("onStart failed", t);
            restart("onStart failed: " + t, t);
        }
    }

    private void stopReceiver() {
        synchronized (this) {
            if (!receiverRunning) {
                return;
            }
            receiverRunning = false;
        }
        try {
            receiver.onStop();
        } catch (Throwable t) {
            reportError("onStop failed", t);
        }
    }

    private void submit(Runnable task, long delayMs) {
        try {
            lifecycle.schedule(task, delayMs, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            LOG.debugf("%s is stopped; not scheduling more", name);
        }
    }
}
