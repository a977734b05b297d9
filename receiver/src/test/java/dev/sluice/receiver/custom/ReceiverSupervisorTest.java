package dev.sluice.receiver.custom;

import dev.sluice.api.Receiver;
import dev.sluice.receiver.StreamCounters;
import dev.sluice.receiver.rate.TokenBucket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static dev.sluice.receiver.Eventually.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReceiverSupervisorTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private final List<Object> stored = new CopyOnWriteArrayList<>();
    private final List<String> events = new CopyOnWriteArrayList<>();
    private final AtomicInteger errors = new AtomicInteger();
    private final AtomicInteger restarts = new AtomicInteger();
    private final AtomicLong throttled = new AtomicLong();
    private final TokenBucket bucket = new TokenBucket();
    private ReceiverSupervisor supervisor;

    private final StreamCounters counters = new StreamCounters() {
        @Override
        public void blockCut(long records) {
        }

        @Override
        public void lineRejected() {
        }

        @Override
        public void throttled(long records, long nanos) {
            throttled.addAndGet(records);
        }

        @Override
        public void receiverError() {
            errors.incrementAndGet();
        }

        @Override
        public void receiverRestarted() {
            restarts.incrementAndGet();
        }
    };

    @AfterEach
    void stop() {
        if (supervisor != null) {
            supervisor.stop("test over", null);
        }
    }

    private ReceiverSupervisor run(Receiver<Object> receiver) {
        supervisor = new ReceiverSupervisor("job t node 0", receiver, stored::add, bucket, counters,
                Duration.ofMillis(20));
        supervisor.start();
        return supervisor;
    }

    /** Records what happens to it; its onStart runs {@code body} with the start number. */
    private abstract class Recording extends Receiver<Object> {
        final AtomicInteger starts = new AtomicInteger();

        abstract void started(int n);

        @Override
        public void onStart() {
            int n = starts.incrementAndGet();
            events.add("start " + n + (isStopped() ? " stopped" : ""));
            started(n);
        }

        @Override
        public void onStop() {
            events.add("stop");
        }
    }

    @Test
    void restartsOnceStoppingThenStartingAgain() {
        Recording r = new Recording() {
            @Override
            void started(int n) {
                store("from start " + n);
                if (n == 1) {
                    restart("again");
                    restart("and again, while restarting: ignored");
                }
            }
        };
        run(r);
        await(WAIT, "the second start", () -> events.size() == 3);
        assertEquals(List.of("start 1", "stop", "start 2"), events);
        assertEquals(List.of("from start 1", "from start 2"), stored);
        assertEquals(1, restarts.get());
        assertFalse(r.isStopped());
        assertTrue(r.isStarted());
    }

    @Test
    void countsAFailingStartAsAnErrorAndARestart() {
        Recording r = new Recording() {
            @Override
            void started(int n) {
                if (n == 1) {
                    throw new IllegalStateException("cannot connect");
                }
            }
        };
        run(r);
        await(WAIT, "the second start", () -> events.contains("start 2"));
        assertEquals(1, errors.get());
        assertEquals(1, restarts.get());
        assertEquals(List.of("start 1", "stop", "start 2"), events);
    }

    @Test
    void reportsErrorsWithoutStopping() {
        Recording r = new Recording() {
            @Override
            void started(int n) {
                reportError("a bad record", new RuntimeException("boom"));
            }
        };
        run(r);
        await(WAIT, "the error", () -> errors.get() == 1);
        assertFalse(r.isStopped());
        assertEquals(List.of("start 1"), events);
    }

    @Test
    void stopsForGood() throws InterruptedException {
        Recording r = new Recording() {
            @Override
            void started(int n) {
                stop("done");
            }
        };
        run(r);
        assertTrue(supervisor.awaitStopped(WAIT));
        assertEquals(List.of("start 1", "stop"), events);
        assertTrue(r.isStopped());
        r.restart("too late");
        Thread.sleep(60);
        assertEquals(List.of("start 1", "stop"), events, "a stopped receiver is not restarted");
    }

    @Test
    void isStoppedUntilStarted() {
        Recording r = new Recording() {
            @Override
            void started(int n) {
            }
        };
        assertTrue(r.isStopped());
        run(r);
        await(WAIT, "the start", () -> events.size() == 1);
        assertEquals(List.of("start 1"), events, "not stopped while onStart runs");
    }

    @Test
    void pushWaitsForTheRateLimit() {
        bucket.setRate(1000);
        Recording r = new Recording() {
            @Override
            void started(int n) {
                new Thread(() -> {
                    for (int i = 0; i < 1100; i++) {
                        store(i);
                    }
                }).start();
            }
        };
        run(r);
        await(WAIT, "every record", () -> stored.size() == 1100);
        assertTrue(throttled.get() > 0, "the records past the first second's worth waited");
    }
}
