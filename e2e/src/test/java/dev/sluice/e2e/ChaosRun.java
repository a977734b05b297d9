package dev.sluice.e2e;

import dev.sluice.api.Pair;
import dev.sluice.engine.exec.LocalRunner;
import dev.sluice.engine.graph.GraphBuilder;
import dev.sluice.examples.RunningCount;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One run of the {@code running-count} job on a local cluster, fed one file per batch so
 * that every batch's input is known exactly, and checked batch by batch against a
 * failure-free reference run of the same input in process. Each file carries a
 * modification time in the middle of the interval of the batch that must take it.
 */
final class ChaosRun {

    static final String JOB = "running-count";
    static final long INTERVAL_MS = 1000;
    /** Batches after the last file, so that windows drain. */
    private static final int TAIL = 3;
    private static final Pattern LAST = Pattern.compile("\"lastBatchTime\":(\\d+)");

    private final List<List<String>> files = new ArrayList<>();
    private final Path in;
    private final Path out;
    private final Path checkpoints;
    private long firstBatchMs;

    ChaosRun(Path tmp, int batches, int linesPerBatch) throws IOException {
        this.in = Files.createDirectories(tmp.resolve("in"));
        this.out = tmp.resolve("out");
        this.checkpoints = tmp.resolve("checkpoints");
        for (int i = 0; i < batches; i++) {
            List<String> lines = new ArrayList<>(linesPerBatch);
            for (int j = 0; j < linesPerBatch; j++) {
                lines.add("k" + ((i * 7 + j * j) % 23) + " batch " + i + " line " + j);
            }
            files.add(lines);
        }
    }

    /** The job's arguments: reading the input directory, {@code costMicros} of CPU per line. */
    Map<String, String> args(int costMicros) {
        return Map.of("source", "dir:" + in, "output", out.toString(), "parallelism", "4",
                "cost", Integer.toString(costMicros), "checkpoint", checkpoints.toString());
    }

    /** Once the job runs, drops every input file, dated into consecutive batches a few batches ahead. */
    void feed(LocalCluster cluster) throws IOException, InterruptedException {
        long last;
        while ((last = lastBatchDone(cluster)) < 0) {
            Thread.sleep(100);
        }
        firstBatchMs = last + 4 * INTERVAL_MS;
        for (int i = 0; i < files.size(); i++) {
            Path hidden = in.resolve(".f-" + i);
            Files.write(hidden, files.get(i));
            Files.setLastModifiedTime(hidden, FileTime.fromMillis(firstBatchMs + i * INTERVAL_MS - INTERVAL_MS / 2));
            Files.move(hidden, in.resolve(String.format("f-%03d.txt", i)), StandardCopyOption.ATOMIC_MOVE);
        }
    }

    /** The time of the batch that takes the first file. */
    long firstBatchMs() {
        return firstBatchMs;
    }

    /** The time of the last batch that must be checked. */
    long lastBatchMs() {
        return firstBatchMs + (files.size() + TAIL - 1) * INTERVAL_MS;
    }

    /** The newest batch the job finished, or -1 while the coordinator does not answer. */
    static long lastBatchDone(LocalCluster cluster) {
        String status = cluster.get("/api/jobs/" + JOB);
        Matcher l = status == null ? null : LAST.matcher(status);
        return l != null && l.find() ? Long.parseLong(l.group(1)) : -1;
    }

    private static final Pattern BATCH = Pattern.compile("\\{\"batchTime\":(\\d+)[^}]*\"totalDelayMs\":(\\d+)");

    /**
     * How long after {@code killedAtMs} the job was back on time: until the end of the first
     * later batch that finished within one batch interval of its time; -1 if none did yet.
     */
    static long recoveryMs(LocalCluster cluster, long killedAtMs) {
        String batches = cluster.get("/api/jobs/" + JOB + "/batches?limit=100");
        long best = -1;
        Matcher m = batches == null ? null : BATCH.matcher(batches);
        while (m != null && m.find()) {
            long time = Long.parseLong(m.group(1));
            long delay = Long.parseLong(m.group(2));
            long end = time + delay;
            if (time > killedAtMs && delay <= INTERVAL_MS && (best < 0 || end < best)) {
                best = end;
            }
        }
        return best < 0 ? -1 : best - killedAtMs;
    }

    /** Waits until the job is back on time after {@code killedAtMs}; returns how long that took. */
    static long awaitOnTime(LocalCluster cluster, long killedAtMs, Duration timeout) throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeout.toMillis();
        long recovery;
        while ((recovery = recoveryMs(cluster, killedAtMs)) < 0) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("the job was not back on time " + timeout + " after a kill" + cluster.logTails());
            }
            Thread.sleep(200);
        }
        return recovery;
    }

    /** Waits until every checked batch is done. */
    void awaitDone(LocalCluster cluster, Duration timeout) throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeout.toMillis();
        while (lastBatchDone(cluster) < lastBatchMs()) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("the job did not reach batch " + lastBatchMs() + " within " + timeout
                        + cluster.logTails());
            }
            Thread.sleep(200);
        }
    }

    /** The reference: every checked batch's three outputs, by output name then batch index. */
    Map<String, List<Map<String, Long>>> reference() {
        GraphBuilder ctx = new GraphBuilder(Duration.ofMillis(INTERVAL_MS), 4, new PrintStream(OutputStream.nullOutputStream()));
        List<List<String>> input = new ArrayList<>(files);
        for (int i = 0; i < TAIL; i++) {
            input.add(List.of());
        }
        RunningCount.Counts counts = RunningCount.counts(ctx.queueStream(input), Duration.ofMillis(INTERVAL_MS), 4, 0);
        Map<String, List<Map<String, Long>>> reference = new HashMap<>();
        collect(reference, "batch", counts.batch());
        collect(reference, "window", counts.window());
        collect(reference, "total", counts.total());
        LocalRunner runner = new LocalRunner(JOB, ctx.build(), 3);
        for (int b = 1; b <= input.size(); b++) {
            runner.runBatch(b);
        }
        return reference;
    }

    private static void collect(Map<String, List<Map<String, Long>>> into, String name,
                                dev.sluice.api.PairDStream<String, Long> stream) {
        List<Map<String, Long>> batches = new ArrayList<>();
        into.put(name, batches);
        stream.foreachBatch((batch, time) -> {
            Map<String, Long> m = new HashMap<>();
            for (Pair<String, Long> p : batch.collect()) {
                m.put(p.first(), p.second());
            }
            batches.add(m);
        });
    }

    /** Checks every batch's three outputs against the reference; the message names the first difference. */
    void assertMatchesReference() throws IOException {
        Map<String, List<Map<String, Long>>> reference = reference();
        for (String name : List.of("batch", "window", "total")) {
            List<Map<String, Long>> expected = reference.get(name);
            for (int i = 0; i < expected.size(); i++) {
                long time = firstBatchMs + i * INTERVAL_MS;
                Path dir = out.resolve(name + "-" + time);
                if (!Files.exists(dir.resolve("_SUCCESS"))) {
                    throw new AssertionError("batch " + time + " (#" + i + ") has no complete " + name + " output in " + dir);
                }
                Map<String, Long> actual = CountFiles.sum(dir);
                if (!expected.get(i).equals(actual)) {
                    throw new AssertionError(name + " output of batch " + time + " (#" + i + ") differs from the reference:"
                            + "\n expected " + new java.util.TreeMap<>(expected.get(i)) + "\n actual   " + new java.util.TreeMap<>(actual));
                }
            }
        }
    }
}
