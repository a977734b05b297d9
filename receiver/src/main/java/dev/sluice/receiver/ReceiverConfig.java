package dev.sluice.receiver;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;

import java.time.Duration;
import java.util.Optional;

/** The receiver's settings, {@code sluice.receiver.*}; defaults are in {@code application.properties}. */
@ConfigMapping(prefix = "sluice.receiver")
public interface ReceiverConfig {

    /** This receiver's id; hostname + "-" + pid when not set. */
    Optional<String> id();

    /** The host workers reach this receiver's gRPC server at; the port is the gRPC server's. */
    String advertisedHost();

    /** How often the buffered records of a stream are cut into a block. */
    Duration blockInterval();

    /**
     * The longest line, in chars, a socket or HTTP source accepts; a longer socket line is
     * skipped and counted, a longer HTTP line fails its request with 413.
     */
    int maxLineLength();

    /** How long a stored block is kept in memory for workers to fetch. */
    Duration blockRetention();

    /**
     * How many cut blocks of one stream may wait to be reported: beyond that a socket or
     * custom source waits and an HTTP post is answered 503.
     */
    int maxPendingBlocks();

    /**
     * The most bytes of records one block holds: a stream that buffers more within a block
     * interval has its block cut at once (counted in {@code sluice_receiver_blocks_full_total}),
     * so no block outgrows a replica or a fetch. At most 1G.
     */
    MemorySize maxBlockBytes();

    /** How long a custom receiver that asked for a restart stays stopped before it is started again. */
    Duration restartDelay();

    /**
     * How the blocks of a source that must be durable get their copy before they are
     * acknowledged. A source must be durable when its assignment asks for the write-ahead log:
     * HTTP ingest always, socket and custom sources when the coordinator sets
     * {@code sluice.receiver.write-ahead-log}.
     */
    Durability durability();

    /** The write-ahead log. */
    Wal wal();

    /** Replicas on peer receivers, for durability {@code replicate}. */
    Replication replication();

    /** HTTP ingest. */
    Http http();

    /** The values of {@code sluice.receiver.durability}. */
    enum Durability {
        /** Each block is written to the write-ahead log (fsync'd) before it is acknowledged. */
        WAL,
        /**
         * Each block is stored as a replica on a peer receiver, and reported to the coordinator,
         * before it is acknowledged; nothing is written to disk. This satisfies an assignment's
         * request for the write-ahead log.
         */
        REPLICATE,
        /** No copy, even when the assignment asks for the write-ahead log (a warning says so). */
        NONE
    }

    /** {@code sluice.receiver.replication.*} */
    interface Replication {
        /** How long a peer may take to store a replica (and tell the coordinator) before the next one is tried. */
        Duration timeout();

        /** The largest replica a peer may store here; a larger upload is refused with {@code RESOURCE_EXHAUSTED}. */
        MemorySize maxBytes();
    }

    /** {@code sluice.receiver.wal.*} */
    interface Wal {
        /**
         * The directory of the write-ahead log; {@code ${java.io.tmpdir}/sluice-wal/<receiver id>}
         * when not set. A receiver replays it when it starts, so it must outlive the process
         * (and the receiver id must be stable) for logged blocks to survive a restart.
         */
        Optional<String> dir();
    }

    /** {@code sluice.receiver.http.*} */
    interface Http {
        /**
         * The largest body a POST to {@code /api/ingest/{path}} may have; larger ones are
         * answered 413. Keep {@code quarkus.http.limits.max-body-size} above it.
         */
        MemorySize maxBody();
    }
}
