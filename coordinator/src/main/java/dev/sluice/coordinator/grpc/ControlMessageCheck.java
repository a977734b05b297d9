package dev.sluice.coordinator.grpc;

import dev.sluice.engine.plan.StageSelector;
import dev.sluice.protocol.Heartbeat;
import dev.sluice.protocol.Register;
import dev.sluice.protocol.TaskId;
import dev.sluice.protocol.TaskStatus;
import dev.sluice.protocol.check.FieldCheck;
import dev.sluice.protocol.check.Refusal;
import io.grpc.Status;

import java.util.Optional;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * The rules for what a worker sends up its control stream. Two kinds of problems:
 * <ul>
 *   <li>{@linkplain #register malformed registrations}, {@linkplain #heartbeat heartbeats} and
 *       {@linkplain #malformed statuses}, which no correct worker sends: the stream is closed
 *       with {@code INVALID_ARGUMENT};</li>
 *   <li>{@linkplain #outdated statuses} that a correct worker may still send late — from an
 *       epoch that was fenced, for a job or batch the coordinator no longer knows (restarted),
 *       or with a time the coordinator's clock has not reached: ignored, never counted as a result.</li>
 * </ul>
 */
public final class ControlMessageCheck {

    /** What the check needs to know of a running job. */
    public record JobShape(long zeroTimeMs, long batchIntervalMs, int stages) {
    }

    private final Function<String, Optional<JobShape>> jobs;
    private final int maxSlots;
    private final long clockSkewMs;
    private final LongSupplier clock;

    /**
     * @param jobs        the job of a name, if one runs
     * @param maxSlots    the most slots a worker is given, whatever it advertises
     * @param clockSkewMs how far ahead of {@code clock} a batch time may be
     * @param clock       the coordinator's clock, epoch milliseconds
     */
    public ControlMessageCheck(Function<String, Optional<JobShape>> jobs, int maxSlots, long clockSkewMs,
                               LongSupplier clock) {
        if (maxSlots < 1) {
            throw new IllegalArgumentException("sluice.scheduler.max-slots-per-worker must be at least 1, got " + maxSlots);
        }
        this.jobs = jobs;
        this.maxSlots = maxSlots;
        this.clockSkewMs = clockSkewMs;
        this.clock = clock;
    }

    /** Why {@code r} is refused, if it is. Slots above the maximum are not refused but {@linkplain #slots clamped}. */
    public Optional<Refusal> register(Register r) {
        return FieldCheck.start()
                .id("worker_id", r.getWorkerId())
                .address("address", r.getAddress())
                .atLeast("slots", r.getSlots(), 1)
                .text("pool", r.getPool())
                .text("stages", r.getStages())
                .then(() -> stages(r.getStages()))
                .result();
    }

    private static Optional<Refusal> stages(String text) {
        try {
            StageSelector.parse(text);
            return Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.of(Refusal.invalid("stages", text, "be all, or a comma-separated list of map, reduce, state"));
        }
    }

    /** The slots a worker that advertises {@code advertised} is given: no more than the configured maximum. */
    public int slots(int advertised) {
        return Math.min(advertised, maxSlots);
    }

    /** Why a heartbeat of a worker that advertised {@code advertisedSlots} is refused, if it is. */
    public Optional<Refusal> heartbeat(Heartbeat h, int advertisedSlots) {
        return FieldCheck.start()
                .between("free_slots", h.getFreeSlots(), 0, advertisedSlots)
                .atLeast("sent_at_ms", h.getSentAtMs(), 0)
                .result();
    }

    /** Why {@code s} is refused as a status no correct worker sends, if it is. */
    public Optional<Refusal> malformed(TaskStatus s) {
        TaskId id = s.getId();
        return FieldCheck.start()
                .present("id", s.hasId())
                .id("id.job", id.getJob())
                .atLeast("id.batch_time_ms", id.getBatchTimeMs(), 1)
                .atLeast("id.stage", id.getStage(), 0)
                .atLeast("id.partition", id.getPartition(), 0)
                .atLeast("id.attempt", id.getAttempt(), 0)
                .rule(s.getState() == TaskStatus.State.SUCCEEDED || s.getState() == TaskStatus.State.FAILED, "state",
                        s.getState(), "be SUCCEEDED or FAILED")
                .atLeast("records_in", s.getRecordsIn(), 0)
                .atLeast("records_out", s.getRecordsOut(), 0)
                .atLeast("free_slots", s.getFreeSlots(), 0)
                .atLeast("epoch", s.getEpoch(), 1)
                .result();
    }

    /**
     * Why a well-formed status from a worker registered under {@code epoch} is ignored, if it
     * is: it names another epoch, a job that does not run, a batch time in the future or off
     * the job's batch grid, or a stage the job does not have.
     */
    public Optional<Refusal> outdated(TaskStatus s, long epoch) {
        TaskId id = s.getId();
        if (s.getEpoch() != epoch) {
            return Optional.of(new Refusal(Refusal.Reason.STALE, Status.Code.FAILED_PRECONDITION, "epoch " + s.getEpoch()
                    + " was fenced: the worker is registered under epoch " + epoch));
        }
        Optional<JobShape> found = jobs.apply(id.getJob());
        if (found.isEmpty()) {
            return Optional.of(Refusal.unknown("id.job " + Refusal.shown(id.getJob()) + " is not a job of this coordinator"));
        }
        JobShape job = found.get();
        long now = clock.getAsLong();
        if (id.getBatchTimeMs() > now + clockSkewMs) {
            return Optional.of(new Refusal(Refusal.Reason.FUTURE, Status.Code.INVALID_ARGUMENT, "id.batch_time_ms "
                    + id.getBatchTimeMs() + " is " + (id.getBatchTimeMs() - now) + " ms in the future"));
        }
        long sinceZero = id.getBatchTimeMs() - job.zeroTimeMs();
        if (sinceZero <= 0 || sinceZero % job.batchIntervalMs() != 0) {
            return Optional.of(new Refusal(Refusal.Reason.OFF_GRID, Status.Code.FAILED_PRECONDITION, "id.batch_time_ms "
                    + id.getBatchTimeMs() + " is not a batch time of job " + id.getJob() + " (zero time "
                    + job.zeroTimeMs() + " + k x " + job.batchIntervalMs() + " ms)"));
        }
        if (id.getStage() >= job.stages()) {
            return Optional.of(Refusal.unknown("id.stage " + id.getStage() + " is not a stage of job " + id.getJob()
                    + ", which has " + job.stages()));
        }
        return Optional.empty();
    }
}
