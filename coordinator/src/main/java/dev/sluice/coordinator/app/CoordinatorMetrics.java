package dev.sluice.coordinator.app;

import dev.sluice.coordinator.cluster.WorkerRegistry;
import dev.sluice.coordinator.job.BatchRecord;
import dev.sluice.coordinator.scheduler.TaskScheduler;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.time.Duration;

/** The coordinator's Prometheus metrics: batches, delays, records, workers and tasks. */
final class CoordinatorMetrics {

    private final MeterRegistry registry;

    CoordinatorMetrics(MeterRegistry registry, WorkerRegistry workers, TaskScheduler scheduler) {
        this.registry = registry;
        registry.gauge("sluice_workers_alive", workers, w -> w.alive().size());
        registry.gauge("sluice_tasks_queued", scheduler, TaskScheduler::queued);
        registry.gauge("sluice_tasks_running", scheduler, TaskScheduler::runningCount);
    }

    void batchDone(String job, BatchRecord batch) {
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
