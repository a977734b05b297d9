package dev.sluice.bench.harness;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Spark Streaming or Flink, each one JVM running the peers' word count ({@code bench/peers},
 * built with {@code -Ppeers}), reporting its batches or windows as JSON lines.
 */
final class PeerContender implements Contender {

    private final String name;
    private final String mainClass;
    private final Path peers;
    private final Path out;
    private final long durationMs;
    private Process process;

    /**
     * @param durationMs how long the peer runs before it stops on its own (a safety net; the
     *                   harness stops it earlier)
     */
    PeerContender(String name, String mainClass, Path peers, Path work, long durationMs) {
        this.name = name;
        this.mainClass = mainClass;
        this.peers = peers;
        this.out = work.resolve(name + "-units.jsonl");
        this.durationMs = durationMs;
    }

    static PeerContender spark(Path root, Path work, long durationMs) {
        return new PeerContender("spark", "dev.sluice.bench.peers.SparkStreamingWordCount", root.resolve("bench/peers"), work, durationMs);
    }

    static PeerContender flink(Path root, Path work, long durationMs) {
        return new PeerContender("flink", "dev.sluice.bench.peers.FlinkWordCount", root.resolve("bench/peers"), work, durationMs);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void start(int loadPort, long batchMs) throws IOException {
        // Each peer has a classpath of its own: Spark and Flink bring clashing Kryo and lz4 jars.
        Path classpath = peers.resolve("target/classpath-" + name + ".txt");
        if (!Files.exists(classpath)) {
            throw new IOException(classpath + " is missing: build the peers first: mvn -Ppeers -pl bench/peers -am package -DskipTests");
        }
        Files.deleteIfExists(out);
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("@" + peers.resolve(name.equals("flink") ? "flink-jvm.options" : "jvm.options"));
        command.add("-cp");
        command.add(peers.resolve("target/classes") + ":" + Files.readString(classpath).trim());
        command.add(mainClass);
        command.addAll(List.of("--source", "127.0.0.1:" + loadPort, "--batch", batchMs + "ms",
                "--duration", (durationMs / 1000) + "s", "--out", out.toString()));
        process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(out.resolveSibling(name + ".log").toFile()).start();
    }

    @Override
    public List<ProcessStats.Proc> processes() {
        return process == null ? List.of() : List.of(new ProcessStats.Proc(name, process.pid()));
    }

    @Override
    public List<OutputUnit> units() throws IOException {
        List<OutputUnit> units = new ArrayList<>();
        if (!Files.exists(out)) {
            return units;
        }
        ObjectMapper json = new ObjectMapper();
        for (String line : Files.readAllLines(out)) {
            if (line.isBlank()) {
                continue;
            }
            JsonNode u = json.readTree(line);
            if (u.has("batchTime")) {
                units.add(new OutputUnit(u.path("batchTime").asLong(), u.path("lines").asLong(),
                        u.path("schedulingDelayMs").asLong(-1), u.path("processingMs").asLong(-1), u.path("endMs").asLong()));
            } else {
                // A window: its words over the corpus' fixed words per line.
                units.add(new OutputUnit(u.path("windowEnd").asLong(), u.path("words").asLong() / 10, -1, -1,
                        u.path("endMs").asLong()));
            }
        }
        units.sort((a, b) -> Long.compare(a.timeMs(), b.timeMs()));
        return units;
    }

    @Override
    public void close() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        }
    }
}
