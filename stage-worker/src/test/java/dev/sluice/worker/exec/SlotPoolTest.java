package dev.sluice.worker.exec;

import org.junit.jupiter.api.Test;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SlotPoolTest {

    @Test
    void tasksBeyondTheSlotsWaitTheirTurnAndFreeSlotsNeverGoNegative() throws Exception {
        try (SlotPool pool = new SlotPool(2)) {
            CountDownLatch release = new CountDownLatch(1);
            CountDownLatch allRan = new CountDownLatch(5);
            AtomicInteger freeOnceDoneSeen = new AtomicInteger(Integer.MAX_VALUE);
            for (int i = 0; i < 5; i++) {
                pool.submit(() -> {
                    try {
                        release.await(5, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    freeOnceDoneSeen.accumulateAndGet(pool.freeOnceDone(), Math::min);
                    allRan.countDown();
                });
            }
            // Two run, three wait: nothing is free, and nothing negative is reported.
            assertEquals(0, pool.free());
            release.countDown();
            assertTrue(allRan.await(5, TimeUnit.SECONDS));
            assertEquals(0, freeOnceDoneSeen.get(), "while others wait, a finishing task frees no slot for new work");
        }
    }
}
