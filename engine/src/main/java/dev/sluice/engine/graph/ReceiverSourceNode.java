package dev.sluice.engine.graph;

import dev.sluice.api.Receiver;

/** The records a custom {@link Receiver} stores; the receiver process runs this node's instance. */
public final class ReceiverSourceNode extends BlockSourceNode {

    private final Receiver<Object> receiver;

    public ReceiverSourceNode(int id, long batchIntervalMs, Receiver<Object> receiver) {
        super(id, batchIntervalMs);
        if (receiver == null) {
            throw new IllegalArgumentException("receiverStream: the receiver must not be null");
        }
        this.receiver = receiver;
    }

    /** The receiver instance of this process's definition of the job. */
    public Receiver<Object> receiver() {
        return receiver;
    }

    @Override
    public String describe() {
        return "receiverStream(" + receiver.getClass().getName() + ")";
    }
}
