package dev.sluice.engine.plan;

import dev.sluice.api.Pair;
import dev.sluice.engine.graph.GraphBuilder;
import org.junit.jupiter.api.Test;

import java.io.OutputStream;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StageSelectorTest {

    @Test
    void selectorsParseAndSayWhatIsWrong() {
        assertEquals(StageSelector.ALL, StageSelector.parse("all"));
        assertEquals(StageSelector.ALL, StageSelector.parse(""));
        assertEquals(Set.of(StageRole.REDUCE, StageRole.STATE), StageSelector.parse("reduce, state").roles());
        assertEquals("reduce,state", StageSelector.parse("state,reduce").toString());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> StageSelector.parse("map,sort"));
        assertTrue(e.getMessage().contains("'sort'") && e.getMessage().contains("map, reduce, state"), e.getMessage());
    }

    @Test
    void stagesHaveTheRolesOfWhatTheyReadAndKeep() {
        GraphBuilder ctx = new GraphBuilder(Duration.ofSeconds(1), 2, new PrintStream(OutputStream.nullOutputStream()));
        ctx.queueStream(List.of(List.of("a b"))).flatMap(l -> Arrays.asList(l.split(" ")))
                .mapToPair(w -> Pair.of(w, 1L))
                .<Long>updateStateByKey((vs, s) -> Optional.of(s.orElse(0L) + vs.size()))
                .foreachBatch((b, t) -> { });
        ExecutionPlan plan = StagePlanner.plan(ctx.build());
        Set<Set<StageRole>> roles = new java.util.HashSet<>();
        plan.stages().forEach(s -> roles.add(s.roles()));
        // The map side reads the queue; the state keeps partitions and reads the shuffle; the
        // output reads the kept state.
        assertTrue(roles.contains(EnumSet.of(StageRole.MAP)), roles.toString());
        assertTrue(roles.contains(EnumSet.of(StageRole.REDUCE, StageRole.STATE)), roles.toString());
        assertTrue(roles.contains(EnumSet.of(StageRole.STATE)), roles.toString());
        StageSelector mapPool = StageSelector.parse("map");
        assertTrue(mapPool.accepts(EnumSet.of(StageRole.MAP)));
        assertFalse(mapPool.accepts(EnumSet.of(StageRole.REDUCE, StageRole.STATE)));
    }
}
