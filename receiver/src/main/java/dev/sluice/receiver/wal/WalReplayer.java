package dev.sluice.receiver.wal;

import dev.sluice.protocol.client.Backoff;
import dev.sluice.receiver.block.Block;
import dev.sluice.receiver.block.BlockReporter;
import dev.sluice.receiver.block.ReceivedBlockStore;
import org.jboss.logging.Logger;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Replays the blocks a previous run of this receiver logged: stores each in memory again and
 * reports it (same id, this process's address), in the order they were received, on a thread
 * of its own while the receiver attaches. A report is retried with backoff until the
 * coordinator takes it; one answered {@code already_processed} drops the block and its file.
 * The others stay logged until the coordinator says they are processed.
 */
public final class WalReplayer {

    private static final Logger LOG = Logger.getLogger(WalReplayer.class);

    private final List<Block> blocks;
    private final WriteAheadLog wal;
    private final ReceivedBlockStore store;
    private final BlockReporter reporter;
    private final Thread thread;
    private final AtomicLong replayed = new AtomicLong();
    private final AtomicLong alreadyProcessed = new AtomicLong();
    private volatile boolean running;

    /** Replays {@code blocks} (recovered from {@code wal}) into {@code store}, reporting them with {@code reporter}. */
    public WalReplayer(List<Block> blocks, WriteAheadLog wal, ReceivedBlockStore store, BlockReporter reporter) {
        this.blocks = List.copyOf(blocks);
        this.wal = wal;
        this.store = store;
        this.reporter = reporter;
        this.thread = new Thread(this::run, "sluice-wal-replay");
        this.thread.setDaemon(true);
    }

    /** Stores every block in memory and starts reporting them. */
    public void start() {
        if (blocks.isEmpty()) {
            return;
        }
        // In memory at once: a worker may fetch a block as soon as the coordinator knows it again.
        blocks.forEach(store::put);
        running = true;
        thread.start();
    }

    /** Stops reporting; blocks not yet reported stay logged for the next start. */
    public void stop() {
        running = false;
        thread.interrupt();
    }

    /** How many logged blocks were reported again (the already processed ones included). */
    public long replayed() {
        return replayed.get();
    }

    /** How many replayed blocks the coordinator said were already processed (and were dropped). */
    public long alreadyProcessed() {
        return alreadyProcessed.get();
    }

    /** Whether every block has been reported. */
    public boolean done() {
        return replayed.get() == blocks.size();
    }

    private void run() {
        LOG.infof("replaying %d logged blocks", blocks.size());
        try {
            for (Block block : blocks) {
                if (!running) {
                    return;
                }
                replay(block);
            }
            LOG.infof("replayed %d logged blocks; %d of them were already processed and are dropped", replayed.get(),
                    alreadyProcessed.get());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void replay(Block block) throws InterruptedException {
        Backoff backoff = Backoff.standard();
        boolean failing = false;
        while (running) {
            try {
                BlockReporter.Outcome outcome = reporter.report(block);
                replayed.incrementAndGet();
                if (outcome == BlockReporter.Outcome.ALREADY_PROCESSED) {
                    alreadyProcessed.incrementAndGet();
                    store.remove(block.id());
                    wal.delete(block);
                    LOG.debugf("replayed %s was already processed: dropped", block);
                } else {
                    // Restart its retention: it was stored when the replay began.
                    store.put(block);
                    LOG.debugf("replayed %s", block);
                }
                return;
            } catch (RuntimeException e) {
                if (!failing) {
                    LOG.warnf("reporting logged block %s again failed, retrying until accepted: %s", block.id(),
                            e.getMessage());
                    failing = true;
                }
                backoff.pause();
            }
        }
    }
}
