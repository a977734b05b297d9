package dev.sluice.engine.graph;

import dev.sluice.engine.output.OutputOperation;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * A job's operators, numbered in definition order, and its output operations. Every
 * process that defines the same job with the same arguments gets a graph with the same
 * {@link #fingerprint()}; tasks carry it so a process with a different graph refuses them.
 */
public final class JobGraph {

    private final long batchIntervalMs;
    private final int defaultParallelism;
    private final List<Node> nodes;
    private final List<OutputOperation> outputs;
    private final String checkpointDirectory;
    private final long rememberMs;
    private final boolean recoverable;
    private final String fingerprint;

    JobGraph(long batchIntervalMs, int defaultParallelism, List<Node> nodes, List<OutputOperation> outputs,
             String checkpointDirectory, boolean recoverable, long rememberMs) {
        this.batchIntervalMs = batchIntervalMs;
        this.defaultParallelism = defaultParallelism;
        this.nodes = List.copyOf(nodes);
        this.outputs = List.copyOf(outputs);
        this.checkpointDirectory = checkpointDirectory;
        this.recoverable = recoverable;
        this.rememberMs = rememberMs;
        this.fingerprint = computeFingerprint();
    }

    /**
     * Whether the job named its checkpoint directory (Spark's {@code ssc.checkpoint(dir)}):
     * only then does a coordinator that restarts resume the job from what it saved there.
     * The default directory is shared scratch space, so every start there is a fresh one.
     */
    public boolean recoverable() {
        return recoverable;
    }

    /** Where persisted nodes with a checkpoint interval write their partitions. */
    public String checkpointDirectory() {
        return checkpointDirectory;
    }

    /** How long every persisted node's batches are kept at least ({@code StreamingContext.remember}). */
    public long rememberMs() {
        return rememberMs;
    }

    public long batchIntervalMs() {
        return batchIntervalMs;
    }

    /** The number of shuffle partitions operators use when not told otherwise. */
    public int defaultParallelism() {
        return defaultParallelism;
    }

    public List<Node> nodes() {
        return nodes;
    }

    public Node node(int id) {
        return nodes.get(id);
    }

    public List<OutputOperation> outputs() {
        return outputs;
    }

    /** The input streams, in definition order. */
    public List<SourceNode> sources() {
        return nodes.stream().filter(SourceNode.class::isInstance).map(SourceNode.class::cast).toList();
    }

    /** A short hex digest of the graph's structure, parameters and outputs. */
    public String fingerprint() {
        return fingerprint;
    }

    private String computeFingerprint() {
        StringBuilder sb = new StringBuilder();
        sb.append("batch=").append(batchIntervalMs).append(";parallelism=").append(defaultParallelism).append('\n');
        for (Node n : nodes) {
            sb.append(n.id()).append(':').append(n.describe());
            if (n.persisted()) {
                sb.append("[persisted,checkpoint=").append(n.checkpointIntervalMs()).append(']');
            }
            sb.append("<-");
            for (Node p : n.parents()) {
                sb.append(p.id()).append(',');
            }
            sb.append('\n');
        }
        for (OutputOperation o : outputs) {
            sb.append("out").append(o.index()).append(':').append(o.describe()).append("<-").append(o.stream().id()).append('\n');
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(sb.toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
