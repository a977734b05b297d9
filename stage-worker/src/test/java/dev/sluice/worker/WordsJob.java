package dev.sluice.worker;

import dev.sluice.api.JobArgs;
import dev.sluice.api.Pair;
import dev.sluice.api.StreamingContext;
import dev.sluice.api.StreamingJob;

import java.util.Arrays;
import java.util.List;

/** A queue-fed word count, so the worker test needs no receiver: one map stage, one result stage. */
public class WordsJob implements StreamingJob {

    static final List<List<String>> INPUT = List.of(List.of("a b a", "c a"), List.of("b"));

    @Override
    public String name() {
        return "worker-test-words";
    }

    @Override
    public void define(StreamingContext ctx, JobArgs args) {
        ctx.queueStream(INPUT)
                .flatMap(line -> Arrays.asList(line.split(" ")))
                .mapToPair(w -> Pair.of(w, 1L))
                .reduceByKey(Long::sum)
                .foreachBatch((batch, time) -> { });
    }
}
