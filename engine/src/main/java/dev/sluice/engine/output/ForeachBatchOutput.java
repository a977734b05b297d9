package dev.sluice.engine.output;

import dev.sluice.api.BatchConsumer;
import dev.sluice.engine.batch.LocalBatch;
import dev.sluice.engine.codec.RecordCodec;
import dev.sluice.engine.graph.Node;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/** Hands every batch, collected on the coordinator, to a user function (Spark's foreachRDD). */
public final class ForeachBatchOutput extends OutputOperation {

    private final BatchConsumer<Object> f;
    private final int parallelism;

    public ForeachBatchOutput(int index, Node stream, BatchConsumer<Object> f, int parallelism) {
        super(index, stream);
        this.f = f;
        this.parallelism = parallelism;
    }

    @Override
    public byte[] runTask(Iterator<Object> records, long batchTimeMs, int partition) {
        return RecordCodec.encode(records);
    }

    @Override
    public void finish(long batchTimeMs, List<byte[]> partitionResults) throws Exception {
        List<List<Object>> partitions = new ArrayList<>(partitionResults.size());
        for (byte[] result : partitionResults) {
            partitions.add(RecordCodec.decode(result));
        }
        f.accept(new LocalBatch<>(partitions, parallelism), batchTimeMs);
    }

    @Override
    public String describe() {
        return "foreachBatch";
    }
}
