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

    /** How long a custom receiver that asked for a restart stays stopped before it is started again. */
    Duration restartDelay();

    /** The write-ahead log. */
    Wal wal();

    /** HTTP ingest. */
    Http http();

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
