package dev.sluice.worker.exec;

import dev.sluice.protocol.TaskStatus;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.time.Duration;
import java.util.Locale;

/**
 * The worker's task metrics: {@code sluice_worker_tasks_total{outcome}} (succeeded,
 * task_error, input_unavailable, fetch_failed, cancelled) and the time tasks take,
 * {@code sluice_worker_task_seconds}.
 */
public final class TaskMeters {

    private final MeterRegistry registry;
    private final Timer time;

    public TaskMeters(MeterRegistry registry) {
        this.registry = registry;
        this.time = Timer.builder("sluice_worker_task").description("time a task attempt ran on this worker")
                .publishPercentileHistogram().register(registry);
    }

    void ended(TaskStatus status, long nanos) {
        String outcome = status.getState() == TaskStatus.State.SUCCEEDED ? "succeeded"
                : status.getFailure().name().toLowerCase(Locale.ROOT);
        Counter.builder("sluice_worker_tasks").description("task attempts this worker ran, by outcome")
                .tag("outcome", outcome).register(registry).increment();
        time.record(Duration.ofNanos(nanos));
    }
}
