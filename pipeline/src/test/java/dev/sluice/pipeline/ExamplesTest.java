package dev.sluice.pipeline;

import dev.sluice.api.JobArgs;
import dev.sluice.engine.graph.GraphBuilder;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** The example specs shipped in {@code pipeline/examples} stay valid and define a graph. */
class ExamplesTest {

    @Test
    void everyExampleDefinesAGraph() throws IOException {
        List<Path> examples;
        try (Stream<Path> files = Files.list(Path.of("examples"))) {
            examples = files.filter(f -> f.toString().endsWith(".yaml") || f.toString().endsWith(".json"))
                    .sorted().toList();
        }
        assertFalse(examples.isEmpty());
        for (Path example : examples) {
            GraphBuilder.define(new PipelineJob(), JobArgs.of(Map.of("spec-file", example.toString(),
                    "source", "socket://localhost:9999", "batch", "1s")), new PrintStream(OutputStream.nullOutputStream()));
        }
        assertEquals(2, examples.size(), "a new example? it is checked here too: " + examples);
    }
}
