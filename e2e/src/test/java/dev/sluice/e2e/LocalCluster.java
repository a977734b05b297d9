package dev.sluice.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A coordinator, a receiver and N stage-workers started as separate JVM processes from
 * the apps' packaged jars, on free loopback ports, with logs under {@code target/e2e-logs}.
 */
final class LocalCluster implements AutoCloseable {

    private static final Path ROOT = Path.of(System.getProperty("sluice.root", "..")).toAbsolutePath().normalize();

    private final Path logs;
    private final List<Process> processes = new ArrayList<>();
    private final Map<String, Path> logFiles = new LinkedHashMap<>();
    final int httpPort = freePort();
    final int grpcPort = freePort();

    LocalCluster(String name) throws IOException {
        logs = ROOT.resolve("e2e/target/e2e-logs").resolve(name);
        Files.createDirectories(logs);
    }

    /** Starts the coordinator with the job {@code job} and its arguments. */
    LocalCluster coordinator(String job, Map<String, String> args) throws IOException {
        List<String> props = new ArrayList<>(List.of(
                "-Dquarkus.http.port=" + httpPort, "-Dquarkus.grpc.server.port=" + grpcPort, "-Dsluice.job.name=" + job));
        args.forEach((k, v) -> props.add("-Dsluice.job.args." + k + "=" + v));
        start("coordinator", "coordinator", props);
        return this;
    }

    /** Starts a receiver attached to the coordinator. */
    LocalCluster receiver(int index) throws IOException {
        start("receiver-" + index, "receiver", List.of("-Dquarkus.http.port=" + freePort(),
                "-Dquarkus.grpc.server.port=" + freePort(), "-Dsluice.coordinator.address=localhost:" + grpcPort,
                "-Dsluice.receiver.id=receiver-" + index));
        return this;
    }

    /** Starts a stage-worker registered with the coordinator. */
    LocalCluster worker(int index, int slots) throws IOException {
        start("worker-" + index, "stage-worker", List.of("-Dquarkus.http.port=" + freePort(),
                "-Dquarkus.grpc.server.port=" + freePort(), "-Dsluice.coordinator.address=localhost:" + grpcPort,
                "-Dsluice.worker.id=worker-" + index, "-Dsluice.worker.slots=" + slots));
        return this;
    }

    private void start(String name, String module, List<String> props) throws IOException {
        Path jar = ROOT.resolve(module).resolve("target/quarkus-app/quarkus-run.jar");
        if (!Files.exists(jar)) {
            throw new IllegalStateException(jar + " is missing: build the apps first (mvn -DskipTests install)");
        }
        List<String> cmd = new ArrayList<>(List.of(javaBin(), "-Xmx256m", "-XX:TieredStopAtLevel=1"));
        cmd.addAll(props);
        cmd.addAll(List.of("-jar", jar.toString()));
        Path log = logs.resolve(name + ".log");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        processes.add(p);
        logFiles.put(name, log);
    }

    /** The coordinator's REST base URL. */
    String url() {
        return "http://localhost:" + httpPort;
    }

    /** GETs {@code path} from the coordinator; null when it does not answer yet. */
    String get(String path) {
        try {
            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url() + path))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 ? r.body() : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** Every process's log tail, for a failure message. */
    String logTails() {
        StringBuilder sb = new StringBuilder();
        logFiles.forEach((name, log) -> {
            try {
                List<String> lines = Files.readAllLines(log);
                sb.append("\n===== ").append(name).append(" (").append(log).append(") =====\n");
                lines.subList(Math.max(0, lines.size() - 40), lines.size()).forEach(l -> sb.append(l).append('\n'));
            } catch (IOException e) {
                sb.append("\n(cannot read ").append(log).append(")\n");
            }
        });
        return sb.toString();
    }

    @Override
    public void close() throws InterruptedException {
        processes.forEach(Process::destroy);
        for (Process p : processes) {
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
    }

    private static String javaBin() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
