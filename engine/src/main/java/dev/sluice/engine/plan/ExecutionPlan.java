package dev.sluice.engine.plan;

import java.util.List;
import java.util.Map;

/**
 * The stages of a job graph, parents before children, and how long each persisted
 * node's partitions must be kept. The same graph always gives the same plan.
 *
 * @param retentionMs      for each persisted node, how far before a finished batch later batches still read it
 * @param inputRetentionMs how far before a finished batch its source input may still be needed, to
 *                         recompute lost kept partitions back to their last checkpoint
 */
public record ExecutionPlan(List<Stage> stages, Map<Integer, Long> retentionMs, long inputRetentionMs) {

    public ExecutionPlan {
        stages = List.copyOf(stages);
        retentionMs = Map.copyOf(retentionMs);
    }

    public Stage stage(int id) {
        if (id < 0 || id >= stages.size()) {
            throw new IllegalArgumentException("no stage " + id + " in a plan of " + stages.size() + " stages");
        }
        return stages.get(id);
    }

    /** The result stage of output operation {@code outputIndex}. */
    public Stage resultStage(int outputIndex) {
        for (Stage s : stages) {
            if (s.kind() == Stage.Kind.RESULT && s.output().index() == outputIndex) {
                return s;
            }
        }
        throw new IllegalArgumentException("no result stage for output " + outputIndex);
    }

    /** The shuffle-map stage that writes shuffle {@code shuffleId}. */
    public Stage mapStage(int shuffleId) {
        for (Stage s : stages) {
            if (s.isShuffleMap() && s.writes().id() == shuffleId) {
                return s;
            }
        }
        throw new IllegalArgumentException("no stage writes shuffle " + shuffleId);
    }

    /** The persist stage of persisted node {@code node}. */
    public Stage persistStage(int node) {
        for (Stage s : stages) {
            if (s.kind() == Stage.Kind.PERSIST && s.finalNode().id() == node) {
                return s;
            }
        }
        throw new IllegalArgumentException("node " + node + " is not persisted");
    }

    /** The persist stages, parents first. */
    public List<Stage> persistStages() {
        return stages.stream().filter(s -> s.kind() == Stage.Kind.PERSIST).toList();
    }
}
