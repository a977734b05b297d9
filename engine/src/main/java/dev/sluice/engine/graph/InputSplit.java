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

    /**
     * The records of one topic partition of a log such as Kafka, from offset {@code fromOffset}
     * (inclusive) to {@code untilOffset} (exclusive), as a direct source assigns them. The
     * range may hold fewer records than {@code untilOffset - fromOffset} when the log has gaps
     * (compaction, transaction markers); {@link #records()} counts the offsets.
     */
    record OffsetRange(String topic, int partition, long fromOffset, long untilOffset) implements InputSplit {

        public OffsetRange {
            if (topic == null || topic.isEmpty()) {
                throw new IllegalArgumentException("offset range without a topic");
            }
            if (partition < 0) {
                throw new IllegalArgumentException("offset range of " + topic + ": partition is negative: " + partition);
            }
            if (fromOffset < 0 || fromOffset > untilOffset) {
                throw new IllegalArgumentException("offset range of " + topic + "-" + partition
                        + ": from " + fromOffset + " must be at least 0 and at most until " + untilOffset);
            }
        }

        @Override
        public long records() {
            return untilOffset - fromOffset;
        }

        @Override
        public String toString() {
            return topic + "-" + partition + "[" + fromOffset + "," + untilOffset + ")";
        }
    }

    /** A whole text file. */
    record File(String path) implements InputSplit {
        @Override
        public long records() {
            return 0;
        }
    }
}
