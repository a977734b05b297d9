package dev.sluice.engine.codec;

/** Encoded records that cannot be decoded: truncated, or not written by {@link RecordWriter}. */
public final class CorruptRecordException extends RuntimeException {

    /** With a message saying what was wrong and where. */
    public CorruptRecordException(String message) {
        super(message);
    }
}
