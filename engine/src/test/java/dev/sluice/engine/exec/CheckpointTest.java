package dev.sluice.engine.exec;

import dev.sluice.api.Pair;
import dev.sluice.engine.codec.RecordCodec;
import dev.sluice.engine.graph.GraphBuilder;
import dev.sluice.engine.graph.JobGraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** State is written to the checkpoint directory every checkpoint interval, and old checkpoints go. */
class CheckpointTest {

    private static final PrintStream NOWHERE = new PrintStream(OutputStream.nullOutputStream());

    @TempDir
    Path dir;

    @Test
    void stateIsCheckpointedEveryTenBatchesByDefaultAndOnlyTheLastTwoAreKept() throws IOException {
        GraphBuilder ctx = new GraphBuilder(Duration.ofSeconds(1), 2, NOWHERE);
        ctx.checkpoint(dir.toString());
        List<List<String>> input = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            input.add(List.of("a", "b", "a"));
        }
        ctx.queueStream(input).mapToPair(w -> Pair.of(w, 1L))
                .<Long>updateStateByKey((vs, s) -> Optional.of(s.orElse(0L) + vs.size()))
                .foreachBatch((b, t) -> { });
        JobGraph graph = ctx.build();
        LocalRunner runner = new LocalRunner("ckpt", graph, 2);
        for (int i = 1; i <= 30; i++) {
            runner.runBatch(i);
        }
        Path nodeDir;
        try (Stream<Path> nodes = Files.list(dir.resolve("ckpt"))) {
            nodeDir = nodes.findFirst().orElseThrow();
        }
        List<String> batches;
        try (Stream<Path> b = Files.list(nodeDir)) {
            batches = b.map(p -> p.getFileName().toString()).sorted().toList();
        }
        assertEquals(List.of("20000", "30000"), batches, "checkpoints at every 10th batch, the last two kept");
        Map<Object, Object> state = new HashMap<>();
        try (Stream<Path> parts = Files.list(nodeDir.resolve("30000"))) {
            for (Path part : parts.toList()) {
                assertTrue(part.getFileName().toString().startsWith("part-"), "stray file " + part);
                for (Object r : RecordCodec.decode(Files.readAllBytes(part))) {
                    state.put(((Pair<?, ?>) r).first(), ((Pair<?, ?>) r).second());
                }
            }
        }
        assertEquals(Map.of("a", 60L, "b", 30L), state);
    }

    @Test
    void keptPartitionsAreDroppedOnceNoLaterBatchReadsThem() {
        GraphBuilder ctx = new GraphBuilder(Duration.ofSeconds(1), 2, NOWHERE);
        ctx.checkpoint(dir.toString());
        List<List<Integer>> input = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            input.add(List.of(i));
        }
        ctx.queueStream(input).window(Duration.ofSeconds(3)).foreachBatch((b, t) -> { });
        LocalRunner runner = new LocalRunner("window", ctx.build(), 2);
        for (int i = 1; i <= 20; i++) {
            runner.runBatch(i);
        }
        // A 3 s window over 1 s batches reads the last three batches of its input, 2 partitions each.
        assertEquals(6, runner.keptPartitions());
    }
}
