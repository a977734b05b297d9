package dev.sluice.engine.graph;

/** One partition's worth of a source's input in one batch. */
public sealed interface InputSplit {

    /** How many records the split holds, or 0 when unknown before reading. */
    long records();

    /**
     * A block cut by a receiver.
     *
     * @param blockId the receiver's id for the block
     * @param address host:port of the receiver that stores it
     */
    record Block(String blockId, String address, long records) implements InputSplit {
    }

    /**
     * Slice {@code slice} of {@code slices} of the {@code batchIndex}-th (1-based) batch of a queue stream,
     * whose data is part of the job definition.
     */
    record QueueSlice(int batchIndex, int slice, int slices, long records) implements InputSplit {
    }

    /** A whole text file. */
    record File(String path) implements InputSplit {
        @Override
        public long records() {
            return 0;
        }
    }
}
