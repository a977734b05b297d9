package dev.sluice.receiver.coordinator;

import dev.sluice.protocol.client.Backoff;
import dev.sluice.receiver.block.Block;
import dev.sluice.receiver.block.BlockReporter;
import dev.sluice.receiver.block.ReceivedBlockStore;
import dev.sluice.receiver.replica.Replica;
import dev.sluice.receiver.replica.ReplicaReporter;
import dev.sluice.receiver.replica.ReplicaStore;
import dev.sluice.receiver.wal.WriteAheadLog;
import org.jboss.logging.Logger;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Reports again, each time the receiver re-attaches to the coordinator, every block it still
 * holds (in memory or only in the write-ahead log) and every replica it keeps for a peer:
 * the coordinator may have restarted and lost its tracker, or reports may have been lost in
 * the outage. The coordinator counts a block id once, so a report of a block it knows only
 * confirms where it is; one answered {@code already_processed} is dropped here (block, log
 * file, replica). Runs on a thread of its own, retrying each report with backoff; a new
 * re-attach starts it over.
 */
public final class ReattachReporter {

    private static final Logger LOG = Logger.getLogger(ReattachReporter.class);

    private final ReceivedBlockStore store;
    private final WriteAheadLog wal;
    private final ReplicaStore replicas;
    private final BlockReporter blocks;
    private final ReplicaReporter replicaReporter;
    private final AtomicLong reported = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong runs = new AtomicLong();
    private Thread running;
    private long generation;
    private boolean stopped;

    /**
     * Reports the blocks of {@code store} and {@code wal} with {@code blocks}, and the replicas of
     * {@code replicas} with {@code replicaReporter}.
     */
    public ReattachReporter(ReceivedBlockStore store, WriteAheadLog wal, ReplicaStore replicas, BlockReporter blocks,
            ReplicaReporter replicaReporter) {
        this.store = store;
        this.wal = wal;
        this.replicas = replicas;
        this.blocks = blocks;
        this.replicaReporter = replicaReporter;
    }

    /** Starts reporting everything held now; a run still going stops (this one reports the same and more). */
    public synchronized void reattached() {
        if (stopped) {
            return;
        }
        long run = ++generation;
        if (running != null) {
            running.interrupt();
        }
        running = new Thread(() -> run(run), "sluice-reattach-report");
        running.setDaemon(true);
        running.start();
    }

    /** Stops reporting for good. */
    public synchronized void stop() {
        stopped = true;
        generation++;
        if (running != null) {
            running.interrupt();
        }
    }

    /** How many blocks and replicas were reported again, over all runs. */
    public long reported() {
        return reported.get();
    }

    /** How many of them the coordinator said were processed already (and were dropped). */
    public long dropped() {
        return dropped.get();
    }

    /** How many runs finished: every block and replica held when it started was reported. */
    public long runs() {
        return runs.get();
    }

    private synchronized boolean current(long run) {
        return run == generation;
    }

    private void run(long run) {
        List<Block> own = new ArrayList<>(store.all());
        for (String id : wal.blockIds()) {
            // Past its retention in memory but not yet processed: still the coordinator's to know.
            if (store.get(id).isEmpty()) {
                wal.read(id).ifPresent(own::add);
            }
        }
        List<Replica> kept = replicas.all();
        LOG.infof("re-attached: reporting again %d held blocks and %d replicas kept for peers", own.size(),
                kept.size());
        long before = dropped.get();
        try {
            for (Block b : own) {
                if (!current(run)) {
                    return;
                }
                // Skipped if it left meanwhile (processed): reporting it could count it again once forgotten.
                if (store.get(b.id()).isPresent() || wal.contains(b.id())) {
                    reportBlock(run, b);
                }
            }
            for (Replica r : kept) {
                if (!current(run)) {
                    return;
                }
                if (replicas.get(r.id()).isPresent()) {
                    reportReplica(run, r);
                }
            }
        } catch (InterruptedException e) {
            return;
        }
        runs.incrementAndGet();
        LOG.infof("reported again %d held blocks and %d replicas; %d were processed already and are dropped",
                own.size(), kept.size(), dropped.get() - before);
    }

    private void reportBlock(long run, Block block) throws InterruptedException {
        retrying(run, block.id(), () -> {
            if (blocks.report(block) == BlockReporter.Outcome.ALREADY_PROCESSED) {
                store.remove(block.id());
                wal.delete(block);
                dropped.incrementAndGet();
            }
        });
    }

    private void reportReplica(long run, Replica replica) throws InterruptedException {
        retrying(run, replica.id(), () -> {
            BlockReporter.Outcome outcome;
            try {
                outcome = replicaReporter.reportReplica(replica).join();
            } catch (CompletionException e) {
                throw e.getCause() instanceof RuntimeException re ? re : e;
            }
            if (outcome == BlockReporter.Outcome.ALREADY_PROCESSED) {
                replicas.remove(replica.id());
                dropped.incrementAndGet();
            }
        });
    }

    /** Runs {@code report} until it succeeds, with backoff, while {@code run} is current. */
    private void retrying(long run, String blockId, Runnable report) throws InterruptedException {
        Backoff backoff = Backoff.standard();
        boolean failing = false;
        while (current(run)) {
            try {
                report.run();
                reported.incrementAndGet();
                return;
            } catch (RuntimeException e) {
                if (!failing) {
                    LOG.warnf("reporting block %s again failed, retrying: %s", blockId, e.getMessage());
                    failing = true;
                }
                backoff.pause();
            }
        }
    }
}
