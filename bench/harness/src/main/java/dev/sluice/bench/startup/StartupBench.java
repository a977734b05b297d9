package dev.sluice.bench.startup;

import dev.sluice.bench.harness.ProcessStats;
import dev.sluice.bench.load.Durations;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Measures how fast each Sluice app starts and how much memory it holds when idle.
 *
 * <pre>
 * java -cp bench/harness/target/classes dev.sluice.bench.startup.StartupBench [options]
 *
 *   --root DIR          the repository whose apps to start (default: the working directory)
 *   --runs N            starts per app (default 5)
 *   --idle D            idle time before memory is read (default 10s)
 *   --apps LIST         comma-separated, of coordinator, stage-worker, receiver (default all three)
 *   --port-base B       ports as ./sluice --port-base B lays them out (default 18280)
 *   --java PATH         the java executable (default: the one running this tool)
 *   --jvm-opts "OPTS"   JVM options before the app's -D options, split at spaces; default:
 *                       the APP_JVM_OPTS array of ROOT/sluice (none if it has none) and the
 *                       role's (COORDINATOR_JVM_OPTS, or DATA_PLANE_JVM_OPTS for the others), with
 *                       $ROOT and $jar_dir replaced; extra SLUICE_JAVA_OPTS are appended
 *   --in-jar-dir        run each app from its quarkus-app folder, as the container images do
 *                       (a Quarkus-built app-cds.jsa works only from there)
 *   --cds yes|no        give each app a class-data archive (AppCDS), recorded by one unmeasured
 *                       start before the measured ones, as ./sluice does; default: yes when
 *                       ROOT/sluice uses them (-XX:SharedArchiveFile in it), else no
 *   --with-coordinator  start a coordinator first (not measured) that workers and receivers
 *                       register with, so their readiness is measured too
 *   --timeout D         how long one app may take to answer (default 60s)
 *   --keep DIR          keep the logs there (default: a temporary folder, deleted)
 * </pre>
 *
 * <p>Each app is started with the options {@code ./sluice} gives it (ports, file log, job for
 * the coordinator, coordinator address and id for the others). From the moment the process is
 * spawned it polls every 10 ms for the Quarkus line {@code started in} in the log file and for
 * the first HTTP 200 from {@code /q/health/live} and (for the coordinator, or with
 * {@code --with-coordinator} for all) {@code /q/health/ready}. After {@code --idle} it reads
 * {@code VmRSS}, {@code VmHWM} and {@code Threads} from {@code /proc/<pid>/status}, then stops
 * the process with SIGTERM (SIGKILL after 10 s). Runs are interleaved (coordinator, worker,
 * receiver, coordinator, ...) so that load changes hit all apps alike. It prints each run,
 * then the medians, and the load average before and after.
 */
public final class StartupBench {

    private static final Pattern STARTED = Pattern.compile("started in (\\d+(?:\\.\\d+)?)s");
    private static final Pattern VM_FIELD = Pattern.compile("^(VmRSS|VmHWM|Threads):\\s+(\\d+)", Pattern.MULTILINE);
    private static final long POLL_MS = 10;
    private static final String JOB = "wordcount";

    private final Options options;
    private final Path logs;
    private final List<String> jvmOpts;
    /** Each role's options from the launcher, between {@link #jvmOpts} and {@link #extraOpts}. */
    private final Map<App, List<String>> roleOpts = new LinkedHashMap<>();
    private final List<String> extraOpts;
    private final boolean cds;
    private final Map<App, Path> archives = new LinkedHashMap<>();

    private StartupBench(Options options, Path logs) throws IOException {
        this.options = options;
        this.logs = logs;
        this.jvmOpts = options.jvmOpts != null ? split(options.jvmOpts) : launcherOpts(options.root, "APP_JVM_OPTS");
        if (options.jvmOpts == null) {
            for (App app : App.values()) {
                roleOpts.put(app, launcherOpts(options.root,
                        app == App.COORDINATOR ? "COORDINATOR_JVM_OPTS" : "DATA_PLANE_JVM_OPTS"));
            }
        }
        this.cds = options.cds != null ? options.cds : launcherUsesCds(options.root);
        String extra = System.getenv("SLUICE_JAVA_OPTS");
        this.extraOpts = extra == null || extra.isBlank() ? List.of() : split(extra);
    }

    public static void main(String[] args) throws Exception {
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("startup-bench: " + e.getMessage());
            System.exit(2);
            return;
        }
        Path logs = options.keep != null ? Files.createDirectories(options.keep)
                : Files.createTempDirectory("sluice-startup-");
        try {
            new StartupBench(options, logs).run();
        } finally {
            if (options.keep == null) {
                deleteTree(logs);
            }
        }
    }

    private void run() throws Exception {
        for (App app : options.apps) {
            if (!Files.isRegularFile(app.jar(options.root))) {
                throw new IllegalStateException(app.jar(options.root) + " is missing: build with mvn -DskipTests install");
            }
        }
        System.out.printf("startup bench: %s, %d runs, idle %d s, JVM options %s, class-data archives %s%n",
                options.root, options.runs, options.idleMs / 1000,
                describeOpts(), cds ? "yes" : "no");
        String loadBefore = loadAverage();
        System.out.println("load average before: " + loadBefore);
        if (cds) {
            List<App> needed = new ArrayList<>(options.apps);
            if (options.withCoordinator && !needed.contains(App.COORDINATOR)) {
                needed.add(App.COORDINATOR);
            }
            for (App app : needed) {
                Path archive = logs.resolve(app.module + ".jsa");
                Sample s = start(app, 0, false, options.portBase, List.of("-XX:ArchiveClassesAtExit=" + archive,
                        "-Xlog:cds=off", "-Xlog:cds+dynamic=off"));
                // The archive is written on the way out: give it time.
                stop(s.process, 60);
                if (s.process.exitValue() == 137 || !Files.isRegularFile(archive)) {
                    throw new IllegalStateException(app.name + " recorded no class-data archive");
                }
                archives.put(app, archive);
                System.out.printf("class-data archive of %s recorded (%d MB)%n", app.name, Files.size(archive) >> 20);
            }
        }
        Process shared = null;
        if (options.withCoordinator) {
            Sample s = start(App.COORDINATOR, 0, false, sharedPortBase(), List.of());
            shared = s.process;
            System.out.printf("shared coordinator up (ready after %d ms)%n", s.readyMs);
        }
        Map<App, List<Sample>> samples = new LinkedHashMap<>();
        try {
            System.out.printf("%-13s %3s %9s %9s %9s %9s %7s %8s %8s %7s%n", "app", "run", "started", "quarkus",
                    "live", "ready", "cpu", "RSS", "HWM", "threads");
            for (int run = 1; run <= options.runs; run++) {
                for (App app : options.apps) {
                    Sample s = start(app, run, true, options.portBase, List.of());
                    samples.computeIfAbsent(app, a -> new ArrayList<>()).add(s);
                    System.out.printf("%-13s %3d %9s %9s %9s %9s %7s %8s %8s %7d%n", app.name, run, ms(s.startedMs),
                            ms(s.quarkusMs), ms(s.liveMs), ms(s.readyMs), ms(s.cpuMs), mb(s.rssKb), mb(s.hwmKb),
                            s.threads);
                }
            }
        } finally {
            if (shared != null) {
                stop(shared);
            }
        }
        System.out.println();
        System.out.printf("medians of %d runs (ms from process spawn; MB after %d s idle):%n", options.runs,
                options.idleMs / 1000);
        System.out.printf("%-13s %9s %9s %9s %9s %7s %8s %8s %7s%n", "app", "started", "quarkus", "live", "ready",
                "cpu", "RSS", "HWM", "threads");
        for (Map.Entry<App, List<Sample>> e : samples.entrySet()) {
            List<Sample> l = e.getValue();
            System.out.printf("%-13s %9s %9s %9s %9s %7s %8s %8s %7s%n", e.getKey().name, ms(median(l, s -> s.startedMs)),
                    ms(median(l, s -> s.quarkusMs)), ms(median(l, s -> s.liveMs)), ms(median(l, s -> s.readyMs)),
                    ms(median(l, s -> s.cpuMs)), mb(median(l, s -> s.rssKb)), mb(median(l, s -> s.hwmKb)),
                    median(l, s -> (long) s.threads));
        }
        System.out.println("started: the 'started in' log line seen; quarkus: the time Quarkus itself reports;"
                + " ready '-': not ready on its own (needs a coordinator: --with-coordinator);"
                + " cpu: CPU time (all threads) used until it answered");
        System.out.println("load average before: " + loadBefore + "; after: " + loadAverage());
    }

    /** Starts {@code app}, waits until it answers, and (when {@code measure}) idles, reads its memory, stops it. */
    private Sample start(App app, int run, boolean measure, int portBase, List<String> training) throws Exception {
        Ports ports = app.ports(portBase);
        for (int port : new int[] {ports.http, ports.grpc}) {
            awaitFree(port);
        }
        String name = app.name + "-" + (measure ? Integer.toString(run) : training.isEmpty() ? "shared" : "training");
        Path log = logs.resolve(name + ".log");
        Files.deleteIfExists(log);
        List<String> command = new ArrayList<>();
        command.add(options.java);
        List<String> opts = new ArrayList<>(jvmOpts);
        opts.addAll(roleOpts.getOrDefault(app, List.of()));
        opts.addAll(extraOpts);
        for (String opt : opts) {
            command.add(opt.replace("$jar_dir", app.jar(options.root).getParent().toString())
                    .replace("$ROOT", options.root.toString()));
        }
        if (!training.isEmpty()) {
            command.addAll(training);
        } else if (archives.containsKey(app)) {
            command.add("-XX:SharedArchiveFile=" + archives.get(app));
        }
        command.add("-Dquarkus.http.port=" + ports.http);
        command.add("-Dquarkus.grpc.server.port=" + ports.grpc);
        command.add("-Dquarkus.log.console.enabled=false");
        command.add("-Dquarkus.log.file.enabled=true");
        command.add("-Dquarkus.log.file.path=" + log);
        String coordinator = "localhost:" + App.COORDINATOR.ports(options.withCoordinator ? sharedPortBase()
                : options.portBase).grpc;
        switch (app) {
            case COORDINATOR -> {
                // As ./sluice demo: the wordcount job on a socket source (a port nothing listens on:
                // the receiver that would connect is not there anyway).
                command.add("-Dsluice.job.name=" + JOB);
                command.add("-Dsluice.job.args.source=socket://localhost:" + unusedPort());
                command.add("-Dsluice.job.args.batch=1s");
            }
            case WORKER -> {
                command.add("-Dsluice.coordinator.address=" + coordinator);
                command.add("-Dsluice.worker.id=worker-0");
            }
            case RECEIVER -> {
                command.add("-Dsluice.coordinator.address=" + coordinator);
                command.add("-Dsluice.receiver.id=receiver-0");
                // A write-ahead log of its own, so runs do not replay each other's blocks.
                command.add("-Dsluice.receiver.wal.dir=" + logs.resolve(name + "-wal"));
            }
        }
        command.add("-jar");
        command.add(app.jar(options.root).toString());
        Path dir = options.inJarDir ? app.jar(options.root).getParent() : options.root;
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile())
                .redirectErrorStream(true).redirectOutput(logs.resolve(name + ".out").toFile());
        pb.environment().remove("SLUICE_JAVA_OPTS");
        long t0 = System.nanoTime();
        Process process = pb.start();
        Sample s = new Sample(process);
        // Training starts come before the shared coordinator: a worker or receiver cannot be ready then.
        boolean wantReady = app == App.COORDINATOR || (options.withCoordinator && training.isEmpty());
        URI live = URI.create("http://localhost:" + ports.http + "/q/health/live");
        URI ready = URI.create("http://localhost:" + ports.http + "/q/health/ready");
        LogTail tail = new LogTail(log);
        long deadline = t0 + TimeUnit.MILLISECONDS.toNanos(options.timeoutMs);
        try {
            while (s.startedMs < 0 || s.liveMs < 0 || (wantReady && s.readyMs < 0)) {
                if (!process.isAlive()) {
                    throw new IllegalStateException(app.name + " exited with status " + process.exitValue()
                            + " (see " + logs.resolve(name + ".out") + " and " + log + "; --keep DIR keeps them)");
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(app.name + " did not start within " + options.timeoutMs + " ms");
                }
                if (s.startedMs < 0) {
                    Matcher m = STARTED.matcher(tail.read());
                    if (m.find()) {
                        s.startedMs = sinceMs(t0);
                        s.quarkusMs = Math.round(Double.parseDouble(m.group(1)) * 1000);
                    }
                }
                if (s.liveMs < 0 && status(live) == 200) {
                    s.liveMs = sinceMs(t0);
                }
                if (wantReady && s.readyMs < 0 && s.liveMs >= 0 && status(ready) == 200) {
                    s.readyMs = sinceMs(t0);
                }
                Thread.sleep(POLL_MS);
            }
            s.cpuMs = ProcessStats.cpuMs(process.pid());
            if (measure) {
                Thread.sleep(options.idleMs);
                String status = Files.readString(Path.of("/proc/" + process.pid() + "/status"));
                Matcher m = VM_FIELD.matcher(status);
                while (m.find()) {
                    long v = Long.parseLong(m.group(2));
                    switch (m.group(1)) {
                        case "VmRSS" -> s.rssKb = v;
                        case "VmHWM" -> s.hwmKb = v;
                        default -> s.threads = (int) v;
                    }
                }
                stop(process);
            }
        } catch (Exception | Error e) {
            stop(process);
            throw e;
        }
        return s;
    }

    /** The shared coordinator's ports: those of port base + 100, clear of the measured apps'. */
    private int sharedPortBase() {
        return options.portBase + 100;
    }

    private static long sinceMs(long t0) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
    }

    /** The HTTP status of GET {@code uri}; 0 when nothing answers. */
    private static int status(URI uri) {
        try {
            HttpURLConnection c = (HttpURLConnection) uri.toURL().openConnection();
            c.setConnectTimeout(1000);
            c.setReadTimeout(2000);
            try {
                int code = c.getResponseCode();
                (code < 400 ? c.getInputStream() : c.getErrorStream()).readAllBytes();
                return code;
            } finally {
                c.disconnect();
            }
        } catch (IOException e) {
            return 0;
        }
    }

    private static void stop(Process process) throws InterruptedException {
        stop(process, 10);
    }

    /** SIGTERM, then SIGKILL after {@code graceSeconds}. */
    private static void stop(Process process, int graceSeconds) throws InterruptedException {
        process.destroy();
        if (!process.waitFor(graceSeconds, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** Waits (up to 20 s) until nothing listens on {@code port}: the previous run's process lets go of it. */
    private static void awaitFree(int port) throws InterruptedException {
        for (int i = 0; i < 200; i++) {
            try (ServerSocket s = new ServerSocket()) {
                s.bind(new InetSocketAddress("0.0.0.0", port));
                return;
            } catch (IOException e) {
                Thread.sleep(100);
            }
        }
        throw new IllegalStateException("port " + port + " stays in use: choose another --port-base");
    }

    private static int unusedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return f[0] + " " + f[1] + " " + f[2] + " (" + Runtime.getRuntime().availableProcessors() + " cores)";
        } catch (IOException e) {
            return "unknown";
        }
    }

    /** Whether {@code ./sluice} maps class-data archives. */
    static boolean launcherUsesCds(Path root) throws IOException {
        Path launcher = root.resolve("sluice");
        return Files.isRegularFile(launcher) && Files.readString(launcher).contains("-XX:SharedArchiveFile");
    }

    private String describeOpts() {
        StringBuilder text = new StringBuilder(jvmOpts.isEmpty() ? "(none)" : String.join(" ", jvmOpts));
        roleOpts.forEach((app, opts) -> {
            if (!opts.isEmpty()) {
                text.append(", ").append(app.name).append(": ").append(String.join(" ", opts));
            }
        });
        extraOpts.forEach(o -> text.append(' ').append(o));
        return text.toString();
    }

    /**
     * JVM options of {@code ./sluice}: the words of its {@code ARRAY=(...)} assignment (which may
     * span lines), quotes removed; none if it has no such array.
     */
    static List<String> launcherOpts(Path root, String array) throws IOException {
        Path launcher = root.resolve("sluice");
        if (!Files.isRegularFile(launcher)) {
            return new ArrayList<>();
        }
        Matcher m = Pattern.compile("^\\s*(?:readonly\\s+)?" + array + "=\\(([^)]*)\\)", Pattern.MULTILINE)
                .matcher(Files.readString(launcher));
        if (!m.find()) {
            return new ArrayList<>();
        }
        List<String> opts = split(m.group(1).replace("\"", "").replace("'", ""));
        opts.replaceAll(o -> o.replace("${ROOT}", "$ROOT"));
        return opts;
    }

    private static List<String> split(String text) {
        return new ArrayList<>(Arrays.stream(text.trim().split("\\s+")).filter(s -> !s.isEmpty()).toList());
    }

    private static long median(List<Sample> samples, Function<Sample, Long> field) {
        long[] v = samples.stream().mapToLong(field::apply).sorted().toArray();
        if (v.length == 0 || v[0] < 0) {
            return -1;
        }
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    private static String ms(long v) {
        return v < 0 ? "-" : Long.toString(v);
    }

    private static String mb(long kb) {
        return kb < 0 ? "-" : String.format(Locale.ROOT, "%.1f", kb / 1024.0);
    }

    private static void deleteTree(Path dir) throws IOException {
        try (var paths = Files.walk(dir)) {
            paths.sorted((a, b) -> b.getNameCount() - a.getNameCount()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }

    /** Reads what a growing file gained since the last call (the whole file the first time). */
    private static final class LogTail {
        private final Path file;
        private long offset;
        private final StringBuilder carry = new StringBuilder();

        LogTail(Path file) {
            this.file = file;
        }

        /** The text appended since the last call, with the unfinished last line of before in front. */
        String read() throws IOException {
            if (!Files.exists(file)) {
                return "";
            }
            try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
                long length = f.length();
                if (length <= offset) {
                    return "";
                }
                byte[] bytes = new byte[(int) (length - offset)];
                f.seek(offset);
                f.readFully(bytes);
                offset = length;
                carry.append(new String(bytes, StandardCharsets.UTF_8));
            }
            int end = carry.lastIndexOf("\n");
            if (end < 0) {
                return "";
            }
            String lines = carry.substring(0, end + 1);
            carry.delete(0, end + 1);
            return lines;
        }
    }

    private static final class Sample {
        final Process process;
        long startedMs = -1;
        long quarkusMs = -1;
        long liveMs = -1;
        long readyMs = -1;
        long cpuMs = -1;
        long rssKb = -1;
        long hwmKb = -1;
        int threads = -1;

        Sample(Process process) {
            this.process = process;
        }
    }

    private record Ports(int http, int grpc) {
    }

    /** The three apps, with the ports {@code ./sluice} gives them (worker 0). */
    private enum App {
        COORDINATOR("coordinator", "coordinator", 8080, 9090),
        WORKER("stage-worker", "stage-worker", 8081, 9191),
        RECEIVER("receiver", "receiver", 8090, 9095);

        final String name;
        final String module;
        final int http;
        final int grpc;

        App(String name, String module, int http, int grpc) {
            this.name = name;
            this.module = module;
            this.http = http;
            this.grpc = grpc;
        }

        Path jar(Path root) {
            return root.resolve(module).resolve("target/quarkus-app/quarkus-run.jar");
        }

        Ports ports(int portBase) {
            int shift = portBase - 8080;
            return new Ports(http + shift, grpc + shift);
        }

        static App named(String name) {
            for (App a : values()) {
                if (a.name.equals(name) || (a == WORKER && name.equals("worker"))) {
                    return a;
                }
            }
            throw new IllegalArgumentException("unknown app '" + name + "': coordinator, stage-worker or receiver");
        }
    }

    private record Options(Path root, int runs, long idleMs, List<App> apps, int portBase, String java,
                           String jvmOpts, boolean withCoordinator, boolean inJarDir, Boolean cds, long timeoutMs,
                           Path keep) {

        static Options parse(String[] args) {
            Path root = Path.of("").toAbsolutePath();
            int runs = 5;
            long idleMs = 10_000;
            List<App> apps = List.of(App.values());
            int portBase = 18280;
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            String jvmOpts = null;
            boolean withCoordinator = false;
            boolean inJarDir = false;
            Boolean cds = null;
            long timeoutMs = 60_000;
            Path keep = null;
            for (int i = 0; i < args.length; i++) {
                String flag = args[i];
                if (flag.equals("--with-coordinator")) {
                    withCoordinator = true;
                    continue;
                }
                if (flag.equals("--in-jar-dir")) {
                    inJarDir = true;
                    continue;
                }
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException(flag + " needs a value");
                }
                String value = args[++i];
                switch (flag) {
                    case "--root" -> root = Path.of(value).toAbsolutePath().normalize();
                    case "--runs" -> runs = positive(flag, value);
                    case "--idle" -> idleMs = Durations.parse(value, flag).toMillis();
                    case "--apps" -> apps = Arrays.stream(value.split(",")).map(String::trim).map(App::named).toList();
                    case "--port-base" -> portBase = positive(flag, value);
                    case "--java" -> java = value;
                    case "--jvm-opts" -> jvmOpts = value;
                    case "--timeout" -> timeoutMs = Durations.parse(value, flag).toMillis();
                    case "--keep" -> keep = Path.of(value).toAbsolutePath();
                    case "--cds" -> cds = switch (value) {
                        case "yes" -> true;
                        case "no" -> false;
                        default -> throw new IllegalArgumentException("--cds must be yes or no, got '" + value + "'");
                    };
                    default -> throw new IllegalArgumentException("unknown option " + flag);
                }
            }
            if (portBase < 1024 || portBase > 55000) {
                throw new IllegalArgumentException("--port-base must be from 1024 to 55000, got " + portBase);
            }
            return new Options(root, runs, idleMs, apps, portBase, java, jvmOpts, withCoordinator, inJarDir, cds,
                    timeoutMs, keep);
        }

        private static int positive(String flag, String value) {
            try {
                int n = Integer.parseInt(value);
                if (n > 0) {
                    return n;
                }
            } catch (NumberFormatException e) {
                // falls through
            }
            throw new IllegalArgumentException(flag + " must be a positive whole number, got '" + value + "'");
        }
    }
}
