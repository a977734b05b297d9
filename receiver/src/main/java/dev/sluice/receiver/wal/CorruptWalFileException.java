package dev.sluice.receiver.wal;

/** A write-ahead log file that cannot be read back: truncated, damaged, or of an unknown format. */
public final class CorruptWalFileException extends Exception {

    /** Says what is wrong with the file. */
    public CorruptWalFileException(String message) {
        super(message);
    }
}
