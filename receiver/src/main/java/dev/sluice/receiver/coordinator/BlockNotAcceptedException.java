package dev.sluice.receiver.coordinator;

/** The coordinator answered a block report with {@code accepted = false}. */
public final class BlockNotAcceptedException extends RuntimeException {

    /** For block {@code blockId}, with the coordinator's reason. */
    public BlockNotAcceptedException(String blockId, String reason) {
        super("the coordinator did not accept block " + blockId
                + (reason == null || reason.isEmpty() ? "" : ": " + reason));
    }
}
