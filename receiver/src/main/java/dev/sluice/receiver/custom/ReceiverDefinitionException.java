package dev.sluice.receiver.custom;

/** A custom source's receiver cannot be made on this receiver process; the message says why. */
public final class ReceiverDefinitionException extends Exception {

    /** With the reason. */
    public ReceiverDefinitionException(String message) {
        super(message);
    }

    /** With the reason and its cause. */
    public ReceiverDefinitionException(String message, Throwable cause) {
        super(message, cause);
    }
}
