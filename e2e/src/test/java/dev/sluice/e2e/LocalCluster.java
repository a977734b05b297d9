package dev.sluice.e2e;

import dev.sluice.protocol.tls.ClusterTls;
import dev.sluice.protocol.tls.TestCertificates;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A coordinator, a receiver and N stage-workers started as separate JVM processes from
 * the apps' packaged jars, on free loopback ports, with logs under {@code target/e2e-logs}.
 */
final class LocalCluster implements AutoCloseable {

    private static final Pattern FAILED = Pattern.compile("\"batchesFailed\":(\\d+)");
    private static final Pattern RECORDS = Pattern.compile("\"recordsProcessed\":(\\d+)");
    private static final Path ROOT = Path.of(System.getProperty("sluice.root", "..")).toAbsolutePath().normalize();

    /** How to start one app again. */
    private record Launch(String module, List<String> props) {
    }

    private final Path logs;
    /** The cluster token every process of a local cluster shares; REST mutations send it. */
    static final String TOKEN = "e2e-cluster-token-" + Long.toHexString(Double.doubleToLongBits(Math.random()));

    private static final java.util.Set<Integer> ISSUED_PORTS = new java.util.HashSet<>();

    private final Map<String, Process> processes = new LinkedHashMap<>();
    private final Map<String, Launch> launches = new LinkedHashMap<>();
    private final Map<String, Path> logFiles = new LinkedHashMap<>();
    private final Map<String, Integer> httpPorts = new LinkedHashMap<>();
    final int httpPort = freePort();
    final int grpcPort = freePort();

    /** Settings every process gets: TLS when the cluster has it. */
    private final List<String> common = new ArrayList<>();
    private final HttpClient http;
    private final String scheme;

    LocalCluster(String name) throws IOException {
        this(name, null);
    }

    /**
     * A cluster whose processes talk TLS only, with {@code tls}'s certificate and CA, when it is
     * not null; REST calls then go over HTTPS trusting that CA.
     */
    LocalCluster(String name, TestCertificates tls) throws IOException {
        logs = ROOT.resolve("e2e/target/e2e-logs").resolve(name);
        Files.createDirectories(logs);
        if (tls == null) {
            http = HttpClient.newHttpClient();
            scheme = "http";
            return;
        }
        common.addAll(List.of("-Dsluice.tls.enabled=true", "-Dsluice.tls.cert=" + tls.cert(),
                "-Dsluice.tls.key=" + tls.key(), "-Dsluice.tls.ca=" + tls.ca()));
        try {
            SSLContext ssl = SSLContext.getInstance("TLS");
            ssl.init(null, new TrustManager[]{ClusterTls.trustManager(tls.ca())}, null);
            http = HttpClient.newBuilder().sslContext(ssl).build();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
        scheme = "https";
    }

    /** Starts the coordinator with the job {@code job} and its arguments. */
    LocalCluster coordinator(String job, Map<String, String> args) throws IOException {
        return coordinator(job, args, List.of());
    }

    /** Starts the coordinator with the job {@code job}, its arguments and more system properties. */
    LocalCluster coordinator(String job, Map<String, String> args, List<String> more) throws IOException {
        List<String> props = new ArrayList<>(List.of(
                "-Dquarkus.http.port=" + httpPort, "-Dquarkus.grpc.server.port=" + grpcPort));
        if (job != null) {
            props.add("-Dsluice.job.name=" + job);
        }
        args.forEach((k, v) -> props.add("-Dsluice.job.args." + k + "=" + v));
        props.addAll(more);
        start("coordinator", "coordinator", props);
        return this;
    }

    /** Starts a receiver attached to the coordinator. */
    LocalCluster receiver(int index) throws IOException {
        return receiver(index, freePort(), List.of());
    }

    /** Starts a receiver attached to the coordinator, with its HTTP port and more system properties. */
    LocalCluster receiver(int index, int httpPort, List<String> more) throws IOException {
        List<String> props = new ArrayList<>(List.of("-Dquarkus.http.port=" + httpPort,
                "-Dquarkus.grpc.server.port=" + freePort(), "-Dsluice.coordinator.address=localhost:" + grpcPort,
                "-Dsluice.receiver.id=receiver-" + index));
        props.addAll(more);
        start("receiver-" + index, "receiver", props);
        return this;
    }

    /** Starts a stage-worker registered with the coordinator. */
    LocalCluster worker(int index, int slots) throws IOException {
        return worker(index, slots, List.of());
    }

    /** Starts a stage-worker registered with the coordinator, with more system properties (later ones win). */
    LocalCluster worker(int index, int slots, List<String> more) throws IOException {
        int http = freePort();
        httpPorts.put("worker-" + index, http);
        List<String> props = new ArrayList<>(List.of("-Dquarkus.http.port=" + http,
                "-Dquarkus.grpc.server.port=" + freePort(), "-Dsluice.coordinator.address=localhost:" + grpcPort,
                "-Dsluice.worker.id=worker-" + index, "-Dsluice.worker.slots=" + slots));
        props.addAll(more);
        start("worker-" + index, "stage-worker", props);
        return this;
    }

    /** The HTTP port of worker {@code name} (e.g. {@code worker-0}). */
    int workerHttpPort(String name) {
        return httpPorts.get(name);
    }

    /** Whether {@code name}'s current process is running. */
    boolean alive(String name) {
        return processes.get(name).isAlive();
    }

    /**
     * Scales {@code name} (a worker) down the way a pod is: its preStop drain
     * ({@code POST /api/drain}), then SIGTERM.
     *
     * @return how long the drain took, in ms
     */
    long drainAndStop(String name) throws IOException, InterruptedException {
        long started = System.currentTimeMillis();
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(
                        URI.create(scheme + "://localhost:" + httpPorts.get(name) + "/api/drain?timeout=60"))
                .header("Authorization", "Bearer " + TOKEN).POST(HttpRequest.BodyPublishers.noBody()).timeout(Duration.ofSeconds(70)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new AssertionError("draining " + name + " answered " + r.statusCode() + ": " + r.body());
        }
        long took = System.currentTimeMillis() - started;
        Process p = processes.get(name);
        p.destroy();
        p.waitFor(20, TimeUnit.SECONDS);
        return took;
    }

    /** Kills {@code name} at once (SIGKILL), as a crash would. */
    void kill(String name) throws InterruptedException {
        Process p = processes.get(name);
        p.destroyForcibly();
        p.waitFor(10, TimeUnit.SECONDS);
    }

    /** Freezes {@code name} (SIGSTOP), as a long pause or a hung machine would. */
    void pause(String name) throws IOException, InterruptedException {
        signal(name, "-STOP");
    }

    /** Lets a frozen {@code name} go on (SIGCONT). */
    void resume(String name) throws IOException, InterruptedException {
        signal(name, "-CONT");
    }

    private void signal(String name, String signal) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", signal, Long.toString(processes.get(name).pid())).inheritIO().start();
        if (kill.waitFor() != 0) {
            throw new IOException("kill " + signal + " " + name + " failed");
        }
    }

    /**
     * Slows {@code name} down {@code factor} times, as a slower machine would: a helper
     * process freezes it for (factor − 1) of every factor × 10 ms. Closing the returned
     * handle lets it run at full speed again.
     */
    AutoCloseable throttle(String name, int factor) throws IOException {
        long pid = processes.get(name).pid();
        String stop = String.format("%.3f", (factor - 1) * 0.01);
        Process loop = new ProcessBuilder("bash", "-c", "while :; do kill -STOP " + pid + "; sleep " + stop
                + "; kill -CONT " + pid + "; sleep 0.01; done").inheritIO().start();
        return () -> {
            loop.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            signal(name, "-CONT");
        };
    }

    /** Starts {@code name} again with the same settings; its log goes to a new file. */
    void restart(String name) throws IOException {
        Launch l = launches.get(name);
        start(name, l.module(), l.props());
    }

    private void start(String name, String module, List<String> props) throws IOException {
        launches.put(name, new Launch(module, props));
        Path jar = ROOT.resolve(module).resolve("target/quarkus-app/quarkus-run.jar");
        if (!Files.exists(jar)) {
            throw new IllegalStateException(jar + " is missing: build the apps first (mvn -DskipTests install)");
        }
        List<String> cmd = new ArrayList<>(List.of(javaBin(), "-Xmx256m", "-XX:TieredStopAtLevel=1"));
        // Every process shares a cluster token, as on Kubernetes: all gRPC calls carry it.
        cmd.add("-Dsluice.cluster.token=" + TOKEN);
        cmd.addAll(common);
        cmd.addAll(props);
        cmd.addAll(List.of("-jar", jar.toString()));
        int run = (int) logFiles.keySet().stream().filter(k -> k.startsWith(name + "#")).count();
        Path log = logs.resolve(name + (run == 0 ? "" : "-" + run) + ".log");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        processes.put(name, p);
        logFiles.put(name + "#" + run, log);
    }

    /** POSTs {@code json} to {@code path} on the coordinator; returns the status and body. */
    HttpResponse<String> post(String path, String json) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(url() + path))
                .header("Content-Type", "application/json").header("Authorization", "Bearer " + TOKEN)
                .POST(HttpRequest.BodyPublishers.ofString(json))
                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The coordinator's REST base URL. */
    String url() {
        return scheme + "://localhost:" + httpPort;
    }

    /** GETs {@code path} from the coordinator; null when it does not answer yet. */
    String get(String path) {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url() + path))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 ? r.body() : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** The records the job has processed so far, or -1 while the coordinator does not answer. */
    long recordsProcessed(String job) {
        String status = get("/api/jobs/" + job);
        Matcher m = status == null ? null : RECORDS.matcher(status);
        return m != null && m.find() ? Long.parseLong(m.group(1)) : -1;
    }

    /** Waits until the job has processed exactly {@code expected} records; fails with the logs otherwise. */
    void awaitRecords(String job, long expected, Duration timeout) throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeout.toMillis();
        long seen = -1;
        while (System.currentTimeMillis() < deadline) {
            seen = recordsProcessed(job);
            if (seen > expected) {
                throw new AssertionError("processed more records (" + seen + ") than were sent (" + expected + ")" + logTails());
            }
            if (seen == expected) {
                return;
            }
            Thread.sleep(250);
        }
        throw new AssertionError("the job processed " + seen + " of " + expected + " records within " + timeout + logTails());
    }

    /** Everything {@code name}'s current process has logged so far. */
    String log(String name) throws IOException {
        Path latest = null;
        for (Map.Entry<String, Path> e : logFiles.entrySet()) {
            if (e.getKey().startsWith(name + "#")) {
                latest = e.getValue();
            }
        }
        return latest == null ? "" : Files.readString(latest);
    }

    /** Waits until a batch of the job is running, then {@code afterMs} more: a moment inside a batch. */
    void awaitInsideBatch(String job, long afterMs) throws InterruptedException {
        String batches;
        do {
            Thread.sleep(50);
            batches = get("/api/jobs/" + job + "/batches?limit=3");
        } while (batches == null || !batches.contains("\"status\":\"RUNNING\""));
        Thread.sleep(afterMs);
    }

    /** How many batches of the job failed, or -1 while the coordinator does not answer. */
    long batchesFailed(String job) {
        String status = get("/api/jobs/" + job);
        Matcher m = status == null ? null : FAILED.matcher(status);
        return m != null && m.find() ? Long.parseLong(m.group(1)) : -1;
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
        processes.values().forEach(Process::destroy);
        for (Process p : processes.values()) {
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
    }

    private static String javaBin() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /**
     * A port free now and never handed out before by this JVM: the apps bind their ports only
     * once started, and the OS may offer a just-closed port again to the next caller.
     */
    static synchronized int freePort() {
        while (true) {
            try (ServerSocket s = new ServerSocket(0)) {
                if (ISSUED_PORTS.add(s.getLocalPort())) {
                    return s.getLocalPort();
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
