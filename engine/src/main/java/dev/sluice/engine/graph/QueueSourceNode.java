package dev.sluice.engine.graph;

import dev.sluice.engine.codec.RecordWriter;
import dev.sluice.engine.exec.TaskContext;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;

/** A stream whose batches are given in the job definition, one list per batch. */
public final class QueueSourceNode extends SourceNode {

    private final List<List<Object>> batches;
    private final String contentDigest;

    public QueueSourceNode(int id, long batchIntervalMs, List<? extends List<?>> batches) {
        super(id, batchIntervalMs);
        List<List<Object>> copy = new ArrayList<>(batches.size());
        for (List<?> b : batches) {
            // Not List.copyOf: batches may hold null elements, as Spark's queueStream and parallelize allow.
            copy.add(Collections.unmodifiableList(new ArrayList<>(b)));
        }
        this.batches = List.copyOf(copy);
        this.contentDigest = digest(this.batches);
    }

    /** A digest of the encoded data, so the fingerprint does not depend on identity hash codes. */
    private static String digest(List<List<Object>> batches) {
        RecordWriter w = new RecordWriter();
        batches.forEach(w::write);
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(w.toByteArray());
            return HexFormat.of().formatHex(d, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    /**
     * The splits of the {@code batchIndex}-th batch (1-based), cut into {@code slices} contiguous
     * slices as Spark's {@code parallelize} does. Batches past the end are empty.
     */
    public List<InputSplit> splits(int batchIndex, int slices) {
        int n = batch(batchIndex).size();
        List<InputSplit> out = new ArrayList<>(slices);
        for (int s = 0; s < slices; s++) {
            out.add(new InputSplit.QueueSlice(batchIndex, s, slices, sliceEnd(n, s + 1, slices) - sliceEnd(n, s, slices)));
        }
        return out;
    }

    @Override
    protected Iterator<Object> read(InputSplit split, TaskContext ctx) {
        if (split instanceof InputSplit.QueueSlice q) {
            List<Object> batch = batch(q.batchIndex());
            int n = batch.size();
            return batch.subList(sliceEnd(n, q.slice(), q.slices()), sliceEnd(n, q.slice() + 1, q.slices())).iterator();
        }
        throw wrongSplit(split);
    }

    private List<Object> batch(int batchIndex) {
        return batchIndex >= 1 && batchIndex <= batches.size() ? batches.get(batchIndex - 1) : List.of();
    }

    private static int sliceEnd(int n, int slice, int slices) {
        return (int) ((long) slice * n / slices);
    }

    @Override
    public String describe() {
        return "queueStream(batches=" + batches.size() + ",data=" + contentDigest + ")";
    }
}
