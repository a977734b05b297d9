package dev.sluice.receiver.testjobs;

import dev.sluice.api.JobArgs;
import dev.sluice.api.Receiver;
import dev.sluice.api.StreamingContext;
import dev.sluice.api.StreamingJob;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * A job whose only source is a custom receiver that stores the longs 0 .. count-1: the
 * first start stores those below {@code restartAt} and asks for a restart; the second
 * stores the rest. Node 0 is the receiver's source.
 */
public final class SequenceReceiverJob implements StreamingJob {

    /** The job's name. */
    public static final String NAME = "test-sequence-receiver";
    /** The receiver's source node. */
    public static final int NODE = 0;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void define(StreamingContext ctx, JobArgs args) {
        int count = args.getInt("count", 300);
        int restartAt = args.getInt("restart-at", 120);
        ctx.receiverStream(new SequenceReceiver(count, restartAt)).print();
    }

    /** Stores a known sequence over two starts. */
    public static final class SequenceReceiver extends Receiver<Long> {
        private final int count;
        private final int restartAt;
        private final AtomicInteger starts = new AtomicInteger();
        private volatile Thread worker;

        SequenceReceiver(int count, int restartAt) {
            this.count = count;
            this.restartAt = restartAt;
        }

        @Override
        public void onStart() {
            int start = starts.incrementAndGet();
            Thread t = new Thread(() -> {
                if (start == 1) {
                    for (long i = 0; i < restartAt; i++) {
                        store(i);
                    }
                    restart("planned restart after " + restartAt + " records");
                } else if (start == 2) {
                    for (long i = restartAt; i < count; i++) {
                        store(i);
                    }
                }
            }, "sequence-receiver-" + start);
            worker = t;
            t.start();
        }

        @Override
        public void onStop() {
            Thread t = worker;
            if (t != null) {
                try {
                    t.join(5_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }
}
