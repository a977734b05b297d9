package dev.sluice.coordinator.job;

import dev.sluice.coordinator.cluster.ReceiverRegistry;
import dev.sluice.coordinator.rate.PidRateEstimator;
import dev.sluice.engine.graph.BlockSourceNode;
import dev.sluice.engine.graph.SourceNode;

import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the receivers learn from each finished batch: which blocks are processed (so they
 * leave memory and the write-ahead log), and, with backpressure on, the rate their
 * sources may take in now.
 */
public final class ReceiverFeedback {

    private final ReceiverRegistry receivers;
    private final boolean backpressure;
    private final Map<String, PidRateEstimator> estimators = new ConcurrentHashMap<>();
    private final Map<String, Double> rates = new ConcurrentHashMap<>();

    public ReceiverFeedback(ReceiverRegistry receivers, boolean backpressure) {
        this.receivers = receivers;
        this.backpressure = backpressure;
    }

    /** Feeds back one finished batch of {@code job}. */
    public void batchDone(JobRunner job, BatchRecord batch) {
        if (batch.status() != BatchRecord.Status.SUCCEEDED) {
            return;
        }
        // Blocks stay while a lost kept partition may need recomputing from them.
        job.blocks().processedThrough(batch.batchTimeMs() - job.inputRetentionMs(), System.currentTimeMillis())
                .forEach((node, ids) -> receivers.processed(job.name(), node, ids));
        if (!backpressure) {
            return;
        }
        for (SourceNode source : job.graph().sources()) {
            if (!(source instanceof BlockSourceNode)) {
                continue;
            }
            String key = job.name() + "/" + source.id();
            PidRateEstimator estimator = estimators.computeIfAbsent(key,
                    k -> PidRateEstimator.withDefaults(job.graph().batchIntervalMs()));
            // Service time, not processing time: overlapping batches each take longer than their share.
            OptionalDouble rate = estimator.compute(batch.batchTimeMs(), batch.sourceRecords(source.id()),
                    batch.serviceTimeMs(), batch.schedulingDelayMs());
            if (rate.isPresent()) {
                rates.put(key, rate.getAsDouble());
                receivers.limit(job.name(), source.id(), rate.getAsDouble());
            }
        }
    }

    /** The rate backpressure last set for each source ("job/node"), in records per second. */
    public Map<String, Double> rates() {
        return Map.copyOf(rates);
    }

}
