package dev.sluice.pipeline;

import dev.sluice.api.JobArgs;
import dev.sluice.engine.graph.GraphBuilder;
import org.junit.jupiter.api.Test;

import java.io.OutputStream;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Thousands of malformed specs ({@link SpecMutator}), defined as the coordinator defines a
 * submitted job: each one defines a graph or is refused with an {@link IllegalArgumentException}
 * (what the REST API answers with 400) whose message says what is wrong; nothing else may be
 * thrown. The seed is {@code -Dsluice.fuzz.seed} (default fixed), printed at the start.
 */
class SpecFuzzTest {

    private static final PrintStream NOWHERE = new PrintStream(OutputStream.nullOutputStream());
    private static final int SPECS = 6_000;

    @Test
    void everyMalformedSpecIsRefusedWithAMessageOrDefinesAGraph() {
        long seed = Long.getLong("sluice.fuzz.seed", 20261126L);
        System.out.println("SpecFuzzTest seed " + seed + " (rerun with -Dsluice.fuzz.seed=" + seed + ")");
        SpecMutator mutator = new SpecMutator(new Random(seed));
        List<String> failures = new ArrayList<>();
        int refused = 0;
        for (int i = 0; i < SPECS; i++) {
            String spec = mutator.next();
            try {
                GraphBuilder.define(new PipelineJob(), JobArgs.of(Map.of("spec", spec, "source", "http:fuzz",
                        "batch", i % 3 == 0 ? "500ms" : "1s")), NOWHERE);
            } catch (IllegalArgumentException e) {
                refused++;
                if (e.getMessage() == null || e.getMessage().isBlank()) {
                    failures.add("#" + i + " refused without a message: " + SpecMutator.shortened(spec, 300));
                }
            } catch (Throwable t) {
                failures.add("#" + i + " threw " + t + "\n  at " + (t.getStackTrace().length > 0 ? t.getStackTrace()[0] : "?")
                        + "\n  spec: " + SpecMutator.shortened(spec, 300));
            }
        }
        assertTrue(failures.isEmpty(), failures.size() + " of " + SPECS + " specs (seed " + seed + ") broke the parser:\n"
                + String.join("\n", failures.subList(0, Math.min(10, failures.size()))));
        // The mutations are meant to break specs: nearly all must be refused, or the fuzzing tests little.
        assertTrue(refused > SPECS * 0.9, "only " + refused + " of " + SPECS + " specs were refused");
    }
}
