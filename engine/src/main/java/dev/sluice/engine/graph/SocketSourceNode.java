package dev.sluice.engine.graph;

import dev.sluice.engine.exec.TaskContext;

import java.util.Iterator;

/** Lines of text from a TCP server, received by a receiver and stored as blocks. */
public final class SocketSourceNode extends SourceNode {

    private final String host;
    private final int port;

    public SocketSourceNode(int id, long batchIntervalMs, String host, int port) {
        super(id, batchIntervalMs);
        if (port <= 0 || port > 65535) {
            throw new IllegalArgumentException("socketTextStream: port must be in 1..65535, got " + port);
        }
        this.host = host;
        this.port = port;
    }

    public String host() {
        return host;
    }

    public int port() {
        return port;
    }

    @Override
    public boolean needsReceiver() {
        return true;
    }

    @Override
    protected Iterator<Object> read(InputSplit split, TaskContext ctx) {
        if (split instanceof InputSplit.Block block) {
            return ctx.readBlock(block);
        }
        throw wrongSplit(split);
    }

    @Override
    public String describe() {
        return "socketTextStream(" + host + ":" + port + ")";
    }
}
