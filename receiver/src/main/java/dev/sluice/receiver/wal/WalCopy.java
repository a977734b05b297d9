package dev.sluice.receiver.wal;

import dev.sluice.receiver.StreamCounters;
import dev.sluice.receiver.block.Block;
import dev.sluice.receiver.block.DurableCopy;

import java.io.IOException;

/** Durable copies in the write-ahead log: a block is acknowledged once its file is on disk. */
public final class WalCopy implements DurableCopy {

    private final WriteAheadLog wal;

    /** Copies into {@code wal}. */
    public WalCopy(WriteAheadLog wal) {
        this.wal = wal;
    }

    @Override
    public void make(Block block) throws IOException {
        wal.write(block);
    }

    @Override
    public boolean survivesUnreported() {
        return true;
    }

    @Override
    public void drop(Block block) {
        wal.delete(block);
    }

    @Override
    public void countFailure(StreamCounters counters) {
        counters.walWriteFailed();
    }

    @Override
    public String describe() {
        return "the write-ahead log in " + wal.root();
    }
}
