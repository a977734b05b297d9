package dev.sluice.coordinator.app;

import dev.sluice.coordinator.cluster.Worker;
import dev.sluice.coordinator.cluster.WorkerRegistry;
import dev.sluice.coordinator.job.BatchRecord;
import dev.sluice.coordinator.job.JobRunner;
import dev.sluice.engine.graph.SourceNode;
import dev.sluice.coordinator.job.ReceiverFeedback;
import dev.sluice.coordinator.scheduler.StageStats;
import dev.sluice.coordinator.scheduler.TaskScheduler;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** The coordinator's Prometheus metrics: batches, delays, records, workers and tasks. */
final class CoordinatorMetrics {

    private final MeterRegistry registry;
    private final ReceiverFeedback feedback;
    private final Set<String> rateGauges = ConcurrentHashMap.newKeySet();
    private final Set<String> sourceGauges = ConcurrentHashMap.newKeySet();
    private final Set<String> jobGauges = ConcurrentHashMap.newKeySet();

    CoordinatorMetrics(MeterRegistry registry, WorkerRegistry workers, TaskScheduler scheduler, ReceiverFeedback feedback) {
        this.registry = registry;
        this.feedback = feedback;
        registry.gauge("sluice_workers_alive", workers, w -> w.alive().size());
        registry.gauge("sluice_workers_draining", workers, w -> w.alive().stream().filter(Worker::draining).count());
        registry.gauge("sluice_tasks_queued", scheduler, TaskScheduler::queued);
        registry.gauge("sluice_tasks_running", scheduler, TaskScheduler::runningCount);
        registry.gauge("sluice_tasks_placed_ahead", scheduler, TaskScheduler::placedAhead);
        registry.gauge("sluice_stages_started_grouped", scheduler, TaskScheduler::groupedStages);
        registry.gauge("sluice_tasks_speculative_launches", scheduler, TaskScheduler::speculativeLaunches);
        registry.gauge("sluice_tasks_speculative_wins", scheduler, TaskScheduler::speculativeWins);
        registry.gauge("sluice_tasks_cancelled", scheduler, TaskScheduler::attemptsCancelled);
    }

    void batchDone(JobRunner runner, BatchRecord batch) {
        String job = runner.name();
        if (jobGauges.add(job)) {
            registry.gauge("sluice_batches_pending", Tags.of("job", job), runner, r -> r.history().pending());
        }
        for (SourceNode source : runner.graph().sources()) {
            if (sourceGauges.add(job + "/" + source.id())) {
                registry.gauge("sluice_source_errors", Tags.of("job", job, "node", Integer.toString(source.id())), runner,
                        r -> r.sourceErrors().getOrDefault(source.id(), 0L));
            }
        }
        feedback.rates().keySet().forEach(source -> {
            if (rateGauges.add(source)) {
                registry.gauge("sluice_backpressure_rate", Tags.of("source", source), feedback,
                        f -> f.rates().getOrDefault(source, 0.0));
            }
        });
        for (SourceNode source : runner.graph().sources()) {
            Counter.builder("sluice_source_records").description("records a source fed into batches")
                    .tags("job", job, "node", Integer.toString(source.id())).register(registry)
                    .increment(batch.sourceRecords(source.id()));
        }
        int attempts = 0;
        int failed = 0;
        int speculative = 0;
        for (StageStats s : batch.stages()) {
            attempts += s.attempts();
            failed += s.failedAttempts();
            speculative += s.speculative();
        }
        Counter.builder("sluice_task_attempts").description("task attempts sent to workers").tag("job", job)
                .register(registry).increment(attempts);
        Counter.builder("sluice_task_failures").description("task attempts that failed").tag("job", job)
                .register(registry).increment(failed);
        Counter.builder("sluice_task_speculative").description("speculative copies of straggling tasks").tag("job", job)
                .register(registry).increment(speculative);
        if (batch.status() == BatchRecord.Status.SUCCEEDED) {
            Counter.builder("sluice_batches_completed").tag("job", job).register(registry).increment();
            Counter.builder("sluice_records_processed").tag("job", job).register(registry).increment(batch.inputRecords());
            timer("sluice_batch_processing_time", job).record(Duration.ofMillis(batch.processingTimeMs()));
            timer("sluice_batch_scheduling_delay", job).record(Duration.ofMillis(Math.max(0, batch.schedulingDelayMs())));
            timer("sluice_batch_total_delay", job).record(Duration.ofMillis(batch.totalDelayMs()));
        } else {
            Counter.builder("sluice_batches_failed").tag("job", job).register(registry).increment();
        }
    }

    private Timer timer(String name, String job) {
        return Timer.builder(name).tag("job", job).publishPercentileHistogram().register(registry);
    }
}
