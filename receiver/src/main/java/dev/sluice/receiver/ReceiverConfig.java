package dev.sluice.receiver;

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

    /** The longest line, in chars, a socket source accepts; longer lines are skipped and counted. */
    int maxLineLength();

    /** How long a stored block is kept for workers to fetch. */
    Duration blockRetention();
}
