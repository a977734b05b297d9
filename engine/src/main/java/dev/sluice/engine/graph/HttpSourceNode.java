package dev.sluice.engine.graph;

import java.util.regex.Pattern;

/** Lines POSTed to the receivers' ingest endpoint, stored as blocks in their write-ahead logs. */
public final class HttpSourceNode extends BlockSourceNode {

    private static final Pattern PATH = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    private final String path;

    public HttpSourceNode(int id, long batchIntervalMs, String path) {
        super(id, batchIntervalMs);
        if (path == null || !PATH.matcher(path).matches()) {
            throw new IllegalArgumentException("httpStream: the path must be 1 to 64 letters, digits, '-' or '_', got '"
                    + path + "'");
        }
        this.path = path;
    }

    public String path() {
        return path;
    }

    @Override
    public String describe() {
        return "httpStream(" + path + ")";
    }
}
