package dev.sluice.bench.harness;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Sluice as users run it locally: {@code ./sluice start} (a coordinator, a receiver and two
 * stage-workers, separate processes on loopback gRPC) with the built-in {@code pipeline} job
 * on a word-count spec; batches read back from the coordinator's REST API.
 */
final class SluiceContender implements Contender {

    /** The word count the peers run too: split on white space, (word, 1), sum per key. */
    private static final String SPEC = """
            sources:
              lines: {arg: source}
            streams:
              words:  {from: lines, flatMap: {split: "%s"}}
              pairs:  {from: words, pair: {key: $0, value: 1}}
              counts: {from: pairs, reduceByKey: sum}
            outputs:
              - {stream: counts, print: 10}
            """;

    // The coordinator, the receiver and the stage-worker: one class-data archive each.
    private static final int APPS = 3;

    private final String name;
    private final String split;
    private final Path root;
    private final Path home;
    private final int portBase;
    private final HttpClient http = HttpClient.newHttpClient();
    private final ObjectMapper json = new ObjectMapper();
    private final List<ProcessStats.Proc> processes = new ArrayList<>();

    /**
     * @param fused whether the spec takes the compiler's word-count path ({@code \s+}) or the
     *              general one, a string and a pair per word ({@code [\s]+}, which splits the same)
     */
    SluiceContender(boolean fused, Path root, Path work, int portBase) {
        this.name = fused ? "sluice" : "sluice-unfused";
        this.split = fused ? "\\\\s+" : "[\\\\s]+";
        this.root = root;
        this.home = work.resolve(name + "-home");
        this.portBase = portBase;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void start(int loadPort, long batchMs) throws IOException, InterruptedException {
        Files.createDirectories(home);
        Path spec = home.resolve("wordcount.yaml");
        Files.writeString(spec, SPEC.formatted(split));
        if (classDataArchives() < APPS) {
            // ./sluice records each app's class-data archive when it first stops and maps it from
            // then on (docs/operations.md): measure the apps as they run once it has. The source
            // points nowhere, so the load generator sees only the measured run.
            run(startCommand(spec, "socket://127.0.0.1:1", batchMs), Map.of());
            close();
        }
        run(startCommand(spec, "socket://127.0.0.1:" + loadPort, batchMs), Map.of());
        Path pids = home.resolve("run-" + portBase).resolve("pids");
        for (String line : Files.readAllLines(pids)) {
            String[] f = line.trim().split("\\s+");
            processes.add(new ProcessStats.Proc(f[0], Long.parseLong(f[1])));
        }
    }

    private List<String> startCommand(Path spec, String source, long batchMs) {
        return List.of("start", "--job", "pipeline", "--workers", "2", "--port-base", Integer.toString(portBase),
                "--arg", "spec-file=" + spec, "--arg", "source=" + source, "--arg", "batch=" + batchMs + "ms");
    }

    private long classDataArchives() throws IOException {
        Path cds = home.resolve("cds");
        if (!Files.isDirectory(cds)) {
            return 0;
        }
        try (var files = Files.list(cds)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".jsa")).count();
        }
    }

    @Override
    public List<ProcessStats.Proc> processes() {
        return processes;
    }

    @Override
    public List<OutputUnit> units() throws IOException, InterruptedException {
        URI uri = URI.create("http://127.0.0.1:" + portBase + "/api/jobs/pipeline/batches?limit=1000");
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException("GET " + uri + " answered " + response.statusCode() + ": " + response.body());
        }
        Map<Long, OutputUnit> byTime = new TreeMap<>();
        for (JsonNode b : json.readTree(response.body())) {
            if (!"SUCCEEDED".equals(b.path("status").asText())) {
                continue;
            }
            long time = b.path("batchTime").asLong();
            long total = b.path("totalDelayMs").asLong();
            byTime.put(time, new OutputUnit(time, b.path("inputRecords").asLong(), b.path("schedulingDelayMs").asLong(),
                    b.path("processingTimeMs").asLong(), time + total));
        }
        return List.copyOf(byTime.values());
    }

    @Override
    public void close() throws IOException, InterruptedException {
        run(List.of("stop", "--port-base", Integer.toString(portBase)), Map.of());
    }

    private void run(List<String> args, Map<String, String> env) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(root.resolve("sluice").toString());
        command.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(home.resolve("sluice-" + args.get(0) + ".out").toFile());
        pb.environment().put("SLUICE_HOME", home.toString());
        pb.environment().putAll(env);
        int exit = pb.start().waitFor();
        if (exit != 0) {
            throw new IOException("./sluice " + String.join(" ", args) + " failed (exit " + exit + "); see "
                    + home.resolve("sluice-" + args.get(0) + ".out"));
        }
    }
}
