package dev.sluice.engine.graph;

/** Lines of text from a TCP server, received by a receiver and stored as blocks. */
public final class SocketSourceNode extends BlockSourceNode {

    private final String host;
    private final int port;

    public SocketSourceNode(int id, long batchIntervalMs, String host, int port) {
        super(id, batchIntervalMs);
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("socketTextStream: the host must not be empty");
        }
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
    public String describe() {
        return "socketTextStream(" + host + ":" + port + ")";
    }
}
