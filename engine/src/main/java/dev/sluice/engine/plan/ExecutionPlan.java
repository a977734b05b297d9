package dev.sluice.engine.plan;

import java.util.List;

/** The stages of a job graph, parents before children. The same graph always gives the same plan. */
public record ExecutionPlan(List<Stage> stages) {

    public ExecutionPlan {
        stages = List.copyOf(stages);
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
            if (!s.isShuffleMap() && s.output().index() == outputIndex) {
                return s;
            }
        }
        throw new IllegalArgumentException("no result stage for output " + outputIndex);
    }
}
