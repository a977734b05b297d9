package dev.sluice.worker.control;

import dev.sluice.engine.exec.StagePlacement;
import dev.sluice.protocol.StagePlan;
import dev.sluice.protocol.StageStart;
import dev.sluice.protocol.TaskAssignment;
import dev.sluice.protocol.TaskId;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The stage placements the coordinator sent for groups of batches (Drizzle's group
 * scheduling), and the expansion of a {@link StageStart} into this worker's assignments. A
 * placement replaces the one before it for the same job and stage; all are forgotten when
 * the worker registers again, as the coordinator forgets which it sent.
 */
final class ReceivedPlans {

    private record Held(String job, int stage, String self, StagePlacement placement) {
    }

    private final Map<Long, Held> byId = new ConcurrentHashMap<>();

    /** Keeps {@code plan}; a malformed one is left out, so the stages it would start fail. */
    void add(StagePlan plan) {
        if (plan.getWorkersCount() == 0 || plan.getSelf().isEmpty() || !plan.getWorkersList().contains(plan.getSelf())) {
            return;
        }
        byId.values().removeIf(h -> h.job().equals(plan.getJob()) && h.stage() == plan.getStage());
        byId.put(plan.getPlanId(), new Held(plan.getJob(), plan.getStage(), plan.getSelf(),
                new StagePlacement(plan.getWorkersList())));
    }

    /**
     * The assignments {@code start} gives this worker: one per partition its placement gives
     * it, each naming the start's layout.
     *
     * @throws IllegalArgumentException when the placement it names was not sent, or was replaced
     */
    List<TaskAssignment> expand(StageStart start) {
        Held plan = byId.get(start.getPlanId());
        if (plan == null || !plan.job().equals(start.getJob()) || plan.stage() != start.getStage()) {
            throw new IllegalArgumentException("the start of stage " + start.getStage() + " of " + start.getJob() + " names placement "
                    + start.getPlanId() + ", which the coordinator did not send on this stream for it, or replaced since");
        }
        List<TaskAssignment> tasks = new ArrayList<>();
        for (int p : plan.placement().partitionsOf(plan.self(), start.getPartitions())) {
            tasks.add(TaskAssignment.newBuilder().setId(TaskId.newBuilder().setJob(start.getJob())
                            .setBatchTimeMs(start.getBatchTimeMs()).setStage(start.getStage()).setPartition(p)
                            .setAttempt(start.getAttempt()))
                    .setFingerprint(start.getFingerprint()).setLayoutId(start.getLayoutId())
                    .addAllAwaitedShuffles(start.getAwaitedShufflesList()).build());
        }
        return tasks;
    }

    void clear() {
        byId.clear();
    }
}
