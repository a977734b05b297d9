package dev.sluice.engine.plan;

import dev.sluice.api.DStream;
import dev.sluice.api.Pair;
import dev.sluice.api.PairDStream;
import dev.sluice.engine.graph.GraphBuilder;
import dev.sluice.engine.graph.JobGraph;
import dev.sluice.engine.graph.MapPartitionsNode;
import dev.sluice.engine.graph.ShuffledNode;
import org.junit.jupiter.api.Test;

import java.io.OutputStream;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StagePlannerTest {

    private static final List<List<String>> LINES = List.of(List.of("a b", "b c"));

    private static GraphBuilder context() {
        return new GraphBuilder(Duration.ofSeconds(1), 2, new PrintStream(OutputStream.nullOutputStream()));
    }

    /** Node 0 source, 1 flatMap, 2 mapToPair, 3 reduceByKey. */
    private static PairDStream<String, Integer> wordCounts(GraphBuilder ctx) {
        return ctx.queueStream(LINES)
                .flatMap(line -> Arrays.asList(line.split(" ")))
                .mapToPair(w -> Pair.of(w, 1))
                .reduceByKey(Integer::sum);
    }

    /** Every stage is numbered by its position and comes after all its parents. */
    private static void assertParentsFirst(ExecutionPlan plan) {
        for (int i = 0; i < plan.stages().size(); i++) {
            Stage s = plan.stage(i);
            assertEquals(i, s.id());
            for (int parent : s.parents()) {
                assertTrue(parent < s.id(), "stage " + s.id() + " has parent " + parent);
            }
        }
    }

    @Test
    void narrowOnlyJobIsOneResultStage() {
        GraphBuilder ctx = context();
        ctx.queueStream(List.of(List.of(1, 2, 3))).map(x -> x + 1).filter(x -> x > 2).print();
        JobGraph graph = ctx.build();
        ExecutionPlan plan = StagePlanner.plan(graph);

        assertEquals(1, plan.stages().size());
        Stage only = plan.stage(0);
        assertFalse(only.isShuffleMap());
        assertNull(only.writes());
        assertEquals(0, only.output().index());
        assertSame(graph.node(2), only.finalNode());
        assertEquals(List.of(), only.parents());
        assertEquals(List.of(0), only.sources());
        assertSame(only, plan.resultStage(0));
    }

    @Test
    void wordCountIsAMapStageAndAResultStage() {
        GraphBuilder ctx = context();
        wordCounts(ctx).print();
        JobGraph graph = ctx.build();
        ExecutionPlan plan = StagePlanner.plan(graph);
        assertParentsFirst(plan);
        assertEquals(2, plan.stages().size());

        Stage map = plan.stage(0);
        assertTrue(map.isShuffleMap());
        assertNull(map.output());
        assertSame(graph.node(2), map.writes().parent());
        // flatMap and mapToPair run fused in the map stage: it ends at mapToPair, reads the source directly,
        // and no other stage contains them
        assertSame(graph.node(2), map.finalNode());
        assertEquals("mapToPair", map.finalNode().describe());
        assertEquals("flatMap", map.finalNode().parents().get(0).describe());
        assertSame(graph.node(0), map.finalNode().parents().get(0).parents().get(0));
        assertEquals(List.of(0), map.sources());
        assertEquals(List.of(), map.parents());

        Stage result = plan.stage(1);
        assertFalse(result.isShuffleMap());
        assertSame(graph.node(3), result.finalNode());
        assertInstanceOf(ShuffledNode.class, result.finalNode());
        assertEquals(List.of(0), result.parents());
        assertEquals(List.of(), result.sources(), "the reduce side reads shuffle output, not the source");
        assertSame(result, plan.resultStage(0));
    }

    @Test
    void narrowOperatorsAfterTheShuffleRunInTheResultStage() {
        GraphBuilder ctx = context();
        wordCounts(ctx).filter(kv -> kv.second() > 1).map(Pair::first).print();
        JobGraph graph = ctx.build();
        ExecutionPlan plan = StagePlanner.plan(graph);
        assertEquals(2, plan.stages().size());
        Stage result = plan.resultStage(0);
        assertSame(graph.node(5), result.finalNode());
        assertInstanceOf(MapPartitionsNode.class, result.finalNode());
        assertEquals(List.of(0), result.parents());
    }

    @Test
    void twoOutputsOnTheSameReducedStreamShareOneMapStage() {
        GraphBuilder ctx = context();
        PairDStream<String, Integer> counts = wordCounts(ctx);
        counts.print();
        counts.saveAsTextFiles("/nonexistent/never-written", "txt");
        JobGraph graph = ctx.build();
        ExecutionPlan plan = StagePlanner.plan(graph);
        assertParentsFirst(plan);

        assertEquals(3, plan.stages().size());
        long mapStages = plan.stages().stream().filter(Stage::isShuffleMap).count();
        assertEquals(1, mapStages);
        Stage map = plan.stage(0);
        assertTrue(map.isShuffleMap());
        assertEquals(1, plan.resultStage(0).id());
        assertEquals(2, plan.resultStage(1).id());
        assertEquals(List.of(0), plan.resultStage(0).parents());
        assertEquals(List.of(0), plan.resultStage(1).parents());
    }

    @Test
    void countIsAShuffleIntoOnePartition() {
        GraphBuilder ctx = context();
        // nodes: 0 source, 1 per-partition count, 2 zero constant, 3 union, 4 shuffle, 5 map to the count
        ctx.queueStream(List.of(List.of("x", "y"))).count().print();
        JobGraph graph = ctx.build();
        ExecutionPlan plan = StagePlanner.plan(graph);
        assertParentsFirst(plan);

        assertEquals(2, plan.stages().size());
        Stage map = plan.stage(0);
        assertTrue(map.isShuffleMap());
        assertEquals(1, map.writes().partitioner().numPartitions());
        assertEquals(List.of(0), map.sources());
        Stage result = plan.stage(1);
        assertEquals(List.of(0), result.parents());
        assertEquals(List.of(), result.sources());
    }

    @Test
    void unionOfTwoSourcesIsOneStageReadingBoth() {
        GraphBuilder ctx = context();
        DStream<String> a = ctx.queueStream(List.of(List.of("a")));
        DStream<String> b = ctx.queueStream(List.of(List.of("b")));
        a.union(b).map(String::toUpperCase).print();
        ExecutionPlan plan = StagePlanner.plan(ctx.build());
        assertEquals(1, plan.stages().size());
        assertEquals(List.of(0, 1), plan.stage(0).sources());
    }

    @Test
    void contextUnionOfThreeSourcesFeedingAShuffle() {
        GraphBuilder ctx = context();
        DStream<String> a = ctx.queueStream(List.of(List.of("a")));
        DStream<String> b = ctx.queueStream(List.of(List.of("b")));
        DStream<String> c = ctx.queueStream(List.of(List.of("c")));
        ctx.union(a, b, c).countByValue().print();
        ExecutionPlan plan = StagePlanner.plan(ctx.build());
        assertParentsFirst(plan);
        assertEquals(2, plan.stages().size());
        assertEquals(List.of(0, 1, 2), plan.stage(0).sources());
        assertEquals(List.of(), plan.stage(1).sources());
    }

    @Test
    void sourcesAreRecordedPerStage() {
        GraphBuilder ctx = context();
        // 0, 1: sources; each reduced separately, then the reduced streams are unioned
        PairDStream<String, Integer> left = ctx.queueStream(List.of(List.of("a"))).mapToPair(s -> Pair.of(s, 1))
                .reduceByKey(Integer::sum);
        PairDStream<String, Integer> right = ctx.queueStream(List.of(List.of("b"))).mapToPair(s -> Pair.of(s, 2))
                .reduceByKey(Integer::sum);
        left.union(right).print();
        JobGraph graph = ctx.build();
        ExecutionPlan plan = StagePlanner.plan(graph);
        assertParentsFirst(plan);

        assertEquals(3, plan.stages().size());
        Stage result = plan.resultStage(0);
        assertEquals(2, result.id());
        assertEquals(List.of(0, 1), result.parents());
        assertEquals(List.of(), result.sources());
        Set<List<Integer>> mapSources = new HashSet<>();
        for (int parent : result.parents()) {
            Stage map = plan.stage(parent);
            assertTrue(map.isShuffleMap());
            mapSources.add(map.sources());
        }
        int leftSource = graph.sources().get(0).id();
        int rightSource = graph.sources().get(1).id();
        assertEquals(Set.of(List.of(leftSource), List.of(rightSource)), mapSources);
    }

    @Test
    void chainedShufflesAreNumberedParentsFirst() {
        GraphBuilder ctx = context();
        wordCounts(ctx)
                .mapToPair(kv -> Pair.of(kv.second(), 1))   // how many words occur n times
                .reduceByKey(Integer::sum, 3)
                .print();
        JobGraph graph = ctx.build();
        ExecutionPlan plan = StagePlanner.plan(graph);
        assertParentsFirst(plan);

        assertEquals(3, plan.stages().size());
        assertEquals(List.of(0), plan.stage(0).sources());
        assertEquals(List.of(), plan.stage(0).parents());
        // the middle stage reduces the first shuffle and writes the second
        Stage middle = plan.stage(1);
        assertTrue(middle.isShuffleMap());
        assertEquals(List.of(0), middle.parents());
        assertEquals(List.of(), middle.sources());
        assertEquals(3, middle.writes().partitioner().numPartitions());
        assertEquals(List.of(1), plan.stage(2).parents());
        assertFalse(plan.stage(2).isShuffleMap());
    }

    @Test
    void sameGraphGivesTheSamePlan() {
        GraphBuilder ctx = context();
        PairDStream<String, Integer> counts = wordCounts(ctx);
        counts.print();
        counts.count().print();
        JobGraph graph = ctx.build();
        assertEquals(StagePlanner.plan(graph).stages().toString(), StagePlanner.plan(graph).stages().toString());
    }

    @Test
    void unknownStageOrOutputIsRejected() {
        GraphBuilder ctx = context();
        wordCounts(ctx).print();
        ExecutionPlan plan = StagePlanner.plan(ctx.build());
        assertThrows(IllegalArgumentException.class, () -> plan.stage(2));
        assertThrows(IllegalArgumentException.class, () -> plan.stage(-1));
        assertThrows(IllegalArgumentException.class, () -> plan.resultStage(1));
    }
}
