package dev.sluice.e2e;

import com.google.protobuf.ByteString;
import com.google.protobuf.Message;
import dev.sluice.pipeline.SpecMutator;
import dev.sluice.protocol.BlockRef;
import dev.sluice.protocol.BlockReport;
import dev.sluice.protocol.BlockStoreGrpc;
import dev.sluice.protocol.BlockTrackerGrpc;
import dev.sluice.protocol.ControlGrpc;
import dev.sluice.protocol.Drain;
import dev.sluice.protocol.FetchBlockRequest;
import dev.sluice.protocol.FetchCachedRequest;
import dev.sluice.protocol.FetchShuffleRequest;
import dev.sluice.protocol.Heartbeat;
import dev.sluice.protocol.ReceiverHello;
import dev.sluice.protocol.Register;
import dev.sluice.protocol.ReplicaChunk;
import dev.sluice.protocol.ReplicaHeader;
import dev.sluice.protocol.RunningSource;
import dev.sluice.protocol.TaskId;
import dev.sluice.protocol.TaskStatus;
import dev.sluice.protocol.WorkerDataGrpc;
import dev.sluice.protocol.WorkerMessage;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Thousands of random and malformed inputs at every door of a running cluster (coordinator,
 * receiver, worker) while it counts words from a socket and from HTTP ingest: REST bodies and
 * pipeline specs, raw gRPC messages to every service method, junk socket lines and ingest
 * bodies. Every input must be answered with an error or handled; afterwards every app is alive
 * and ready, the job still cuts batches and none failed, and the counts of the valid words
 * sent between the junk are exact.
 *
 * <p>Deterministic for a seed: {@code -Dsluice.fuzz.seed=N} (printed at the start). A failure
 * lists the inputs that broke a door, shortened.
 */
class FuzzIT {

    private static final long SEED = Long.getLong("sluice.fuzz.seed", 20261126L);
    private static final String JOB = "wordcount";
    private static final int MAX_LINE = 2_000;
    private static final int MAX_BODY = 64 * 1024;
    /**
     * Without the token a mutation gets 401 (the token is looked at before the request is matched
     * to an endpoint), unless its body is over the limit (413, refused before it is read).
     */
    private static final Set<Integer> REFUSED_BEFORE_THE_TOKEN = Set.of(401, 413);
    private static final Pattern BATCHES_COMPLETED = Pattern.compile("\"batchesCompleted\":(\\d+)");

    @TempDir
    Path tmp;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    /** The inputs a door did not answer well, by door. */
    private final Map<String, List<String>> failures = new TreeMap<>();
    private int inputs;

    @Test
    void junkAtEveryDoorIsAnsweredAndTheValidRecordsAreCountedExactly() throws Exception {
        System.out.println("FuzzIT seed " + SEED + " (rerun: mvn -o verify -pl e2e -Dit.test=FuzzIT -Dsluice.fuzz.seed="
                + SEED + ")");
        long started = System.currentTimeMillis();
        Map<String, Long> expected = new TreeMap<>();
        JunkLines lines = new JunkLines(new Random(SEED), MAX_LINE);
        List<byte[]> feed = socketFeed(lines, expected);
        int receiverHttp = LocalCluster.freePort();
        int receiverGrpc = LocalCluster.freePort();
        int workerGrpc = LocalCluster.freePort();
        Path out = tmp.resolve("out");
        try (CorpusServer socket = new CorpusServer(150, feed);
             LocalCluster cluster = new LocalCluster("fuzz")) {
            cluster.coordinator(JOB, Map.of("source", "socket://localhost:" + socket.port() + ",http:fuzz",
                            "output", out.resolve("wc").toString(), "batch", "500ms"))
                    .receiver(0, receiverHttp, List.of("-Dquarkus.grpc.server.port=" + receiverGrpc,
                            "-Dsluice.receiver.max-line-length=" + MAX_LINE, "-Dsluice.receiver.http.max-body=" + MAX_BODY))
                    .worker(0, 2, List.of("-Dquarkus.grpc.server.port=" + workerGrpc));
            Map<String, String> apps = Map.of("coordinator", cluster.url(), "receiver-0", "http://localhost:" + receiverHttp,
                    "worker-0", "http://localhost:" + cluster.workerHttpPort("worker-0"));
            String ingest = "http://localhost:" + receiverHttp + "/api/ingest/fuzz";
            awaitServing(cluster, apps, ingest);
            System.out.println("FuzzIT: cluster up after " + (System.currentTimeMillis() - started) + " ms");

            timed("REST bodies and pipeline specs", () -> fuzzRest(cluster, new RestJunk(new Random(SEED + 1), JOB), 700));
            timed("gRPC messages", () -> fuzzGrpc(new ProtoMutator(new Random(SEED + 2)), cluster.grpcPort, receiverGrpc,
                    workerGrpc));
            timed("HTTP ingest bodies", () -> fuzzIngest(ingest, lines, new Random(SEED + 3), expected, 400));

            Map<String, Long> counted = awaitCounts(out, expected, socket, feed.size());
            long failed = cluster.batchesFailed(JOB);
            long before = batchesCompleted(cluster);
            Thread.sleep(1_500);
            long after = batchesCompleted(cluster);
            for (Map.Entry<String, String> app : apps.entrySet()) {
                if (!cluster.alive(app.getKey())) {
                    fail(app.getKey(), "exited");
                } else if (status(app.getValue() + "/q/health/ready") != 200) {
                    fail(app.getKey(), "not ready at the end");
                }
            }
            System.out.println("FuzzIT: " + inputs + " inputs and " + feed.size() + " socket chunks in "
                    + (System.currentTimeMillis() - started) + " ms");
            assertTrue(failures.isEmpty(), "inputs not answered well (seed " + SEED + "), by door, the first 5 of each:\n"
                    + failures.entrySet().stream().map(e -> e.getKey() + ": " + e.getValue().size() + "\n  "
                            + String.join("\n  ", e.getValue().subList(0, Math.min(5, e.getValue().size()))))
                    .collect(Collectors.joining("\n")) + cluster.logTails());
            assertEquals(expected, counted, "the counts of the valid words (seed " + SEED + ") differ at "
                    + difference(expected, counted) + cluster.logTails());
            assertEquals(0, failed, "no batch may fail" + cluster.logTails());
            assertTrue(after > before, "the job must keep cutting batches: " + before + " then " + after);
        }
    }

    private void fail(String door, String what) {
        failures.computeIfAbsent(door, d -> new ArrayList<>()).add(what);
    }

    /** The words whose counts differ: expected, then counted. */
    private static String difference(Map<String, Long> expected, Map<String, Long> counted) {
        Set<String> words = new TreeSet<>(expected.keySet());
        words.addAll(counted.keySet());
        return words.stream().filter(w -> !Objects.equals(expected.get(w), counted.get(w)))
                .map(w -> w + "=" + expected.get(w) + "/" + counted.get(w)).collect(Collectors.joining(", "));
    }

    // ------------------------------------------------------------------ socket

    /** Valid lines and junk, alternating at random, ending with valid lines (so that a stuck source shows). */
    private static List<byte[]> socketFeed(JunkLines lines, Map<String, Long> expected) {
        List<byte[]> chunks = new ArrayList<>();
        for (int i = 0; i < 3_000; i++) {
            chunks.add(i % 2 == 0 || i > 2_950 ? lines.valid(expected) : lines.junk().bytes());
        }
        return chunks;
    }

    // ------------------------------------------------------------------ REST

    private void fuzzRest(LocalCluster cluster, RestJunk junk, int n) throws Exception {
        for (int i = 0; i < n; i++) {
            RestJunk.Request r = junk.next();
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(cluster.url() + r.path()))
                    .timeout(Duration.ofSeconds(20))
                    .method(r.method(), HttpRequest.BodyPublishers.ofByteArray(r.body()));
            if (!r.contentType().isEmpty()) {
                b.header("Content-Type", r.contentType());
            }
            if (r.token()) {
                b.header("Authorization", "Bearer " + LocalCluster.TOKEN);
            } else if (i % 2 == 0) {
                b.header("Authorization", "Bearer not-" + LocalCluster.TOKEN);
            }
            inputs++;
            HttpResponse<String> answer;
            try {
                answer = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
            } catch (IOException e) {
                // The server may close the connection on a body over its limit before reading it.
                if (r.body().length > (1 << 20)) {
                    continue;
                }
                fail("REST", "#" + i + " " + r.describe() + " -> " + e);
                continue;
            }
            int status = answer.statusCode();
            String type = answer.headers().firstValue("Content-Type").orElse("");
            if (status >= 500) {
                fail("REST", "#" + i + " " + r.describe() + " -> " + status + " " + SpecMutator.shortened(answer.body(), 300));
            } else if (!r.token() && !REFUSED_BEFORE_THE_TOKEN.contains(status)) {
                fail("REST", "#" + i + " " + r.describe() + " -> " + status + " without the token");
            } else if (status >= 400 && status != 413 && !type.startsWith("application/problem+json")) {
                fail("REST", "#" + i + " " + r.describe() + " -> " + status + " as '" + type + "', not problem+json");
            } else if (status == 201) {
                // A mutation left the spec valid: the pipeline runs; stop it so that the next can start.
                cluster.post("/api/jobs/pipeline/stop", "");
            }
        }
    }

    // ------------------------------------------------------------------ gRPC

    private void fuzzGrpc(ProtoMutator mutator, int coordinator, int receiver, int worker) throws Exception {
        long now = System.currentTimeMillis();
        ManagedChannel c = channel(coordinator);
        ManagedChannel r = channel(receiver);
        ManagedChannel w = channel(worker);
        try {
            TaskId task = TaskId.newBuilder().setJob(JOB).setBatchTimeMs(now).setStage(0).setPartition(1).build();
            List<WorkerMessage> control = List.of(
                    WorkerMessage.newBuilder().setRegister(Register.newBuilder().setWorkerId("fuzz-w").setAddress("fuzz-w:9191")
                            .setSlots(2)).build(),
                    WorkerMessage.newBuilder().setHeartbeat(Heartbeat.newBuilder().setFreeSlots(1).setSentAtMs(now)).build(),
                    WorkerMessage.newBuilder().setStatus(TaskStatus.newBuilder().setId(task).setState(TaskStatus.State.SUCCEEDED)
                            .setEpoch(1).setResult(ByteString.copyFromUtf8("x"))).build(),
                    WorkerMessage.newBuilder().setDrain(Drain.getDefaultInstance()).build());
            Random pick = new Random(SEED + 4);
            // Half the streams register first, so that what follows reaches the checks of a registered worker.
            fuzz("Control/Connect", c, ControlGrpc.getConnectMethod(), 400, () -> {
                List<byte[]> m = new ArrayList<>();
                if (pick.nextBoolean()) {
                    m.add(WorkerMessage.newBuilder().setRegister(Register.newBuilder()
                            .setWorkerId("fuzz-w" + pick.nextInt(1000)).setAddress("fuzz-w:9191").setSlots(2)).build().toByteArray());
                }
                for (int k = 1 + pick.nextInt(3); k > 0; k--) {
                    m.add(mutator.next(control.get(pick.nextInt(control.size())), Set.of()));
                }
                return m;
            });
            fuzz("BlockTracker/Attach", c, BlockTrackerGrpc.getAttachMethod(), 200, () -> List.of(mutator.next(
                    ReceiverHello.newBuilder().setReceiverId("fuzz-r").setAddress("fuzz-r:9095")
                            .addRunning(RunningSource.newBuilder().setJob("fuzz-job").setNode(0)).build(), Set.of())));
            // Reports of a job that does not run may change anywhere; those of the running job keep a node
            // that is none of its sources, so that no mutation makes up a block the job would wait for.
            BlockReport report = BlockReport.newBuilder().setJob("fuzz-job").setNode(0).setReceivedAtMs(now)
                    .setBlock(BlockRef.newBuilder().setBlockId("fuzz-b").setAddress("fuzz-r:9095").setRecords(3)).build();
            fuzz("BlockTracker/ReportBlock", c, BlockTrackerGrpc.getReportBlockMethod(), 300, () -> List.of(pick.nextBoolean()
                    ? mutator.next(report, Set.of())
                    : mutator.next(report.toBuilder().setJob(JOB).setNode(99).build(),
                            Set.of("sluice.v1.BlockReport.job", "sluice.v1.BlockReport.node"))));

            fuzz("BlockStore/FetchBlock", r, BlockStoreGrpc.getFetchBlockMethod(), 200, () -> List.of(mutator.next(
                    FetchBlockRequest.newBuilder().setBlockId("fuzz-b").build(), Set.of())));
            ReplicaChunk header = ReplicaChunk.newBuilder().setHeader(ReplicaHeader.newBuilder().setJob("fuzz-job").setNode(0)
                    .setBlockId("fuzz-b").setRecords(1).setReceivedAtMs(now).setPrimaryAddress("fuzz-r:9095").setBytes(4))
                    .setData(ByteString.copyFromUtf8("ab")).build();
            ReplicaChunk data = ReplicaChunk.newBuilder().setData(ByteString.copyFromUtf8("cd")).build();
            fuzz("BlockStore/StoreReplica", r, BlockStoreGrpc.getStoreReplicaMethod(), 200, () -> {
                List<byte[]> m = new ArrayList<>();
                m.add(mutator.next(header, Set.of()));
                for (int k = pick.nextInt(3); k > 0; k--) {
                    m.add(mutator.next(pick.nextBoolean() ? data : header, Set.of()));
                }
                return m;
            });

            fuzz("WorkerData/FetchShuffle", w, WorkerDataGrpc.getFetchShuffleMethod(), 200, () -> List.of(mutator.next(
                    FetchShuffleRequest.newBuilder().setJob(JOB).setBatchTimeMs(now).setShuffle(0).setReducePartition(0)
                            .addMapPartitions(0).addMapPartitions(1).build(), Set.of())));
            fuzz("WorkerData/FetchCached", w, WorkerDataGrpc.getFetchCachedMethod(), 200, () -> List.of(mutator.next(
                    FetchCachedRequest.newBuilder().setJob(JOB).setNode(2).setBatchTimeMs(now).setPartition(0).build(), Set.of())));

            // One message larger than any limit to each app.
            byte[] huge = new byte[70 << 20];
            new Random(SEED).nextBytes(huge);
            fuzz("BlockTracker/ReportBlock (70 MiB)", c, BlockTrackerGrpc.getReportBlockMethod(), 1, () -> List.of(huge));
            fuzz("BlockStore/FetchBlock (70 MiB)", r, BlockStoreGrpc.getFetchBlockMethod(), 1, () -> List.of(huge));
            fuzz("WorkerData/FetchCached (70 MiB)", w, WorkerDataGrpc.getFetchCachedMethod(), 1, () -> List.of(huge));
        } finally {
            for (ManagedChannel ch : List.of(c, r, w)) {
                ch.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            }
        }
    }

    private static ManagedChannel channel(int port) {
        return ManagedChannelBuilder.forAddress("localhost", port).usePlaintext().maxInboundMessageSize(64 << 20).build();
    }

    /** {@code n} calls of {@code method}, each with the messages {@code messages} makes; each must end well. */
    private void fuzz(String name, ManagedChannel channel, MethodDescriptor<?, ?> method, int n,
            Supplier<List<byte[]>> messages) throws InterruptedException {
        MethodDescriptor<byte[], byte[]> raw = RawGrpc.raw(method);
        Map<Status.Code, Integer> codes = new TreeMap<>();
        for (int i = 0; i < n; i++) {
            List<byte[]> sent = messages.get();
            inputs += sent.size();
            Status status = RawGrpc.call(channel, raw, LocalCluster.TOKEN, sent, 10_000);
            codes.merge(status.getCode(), 1, Integer::sum);
            if (!answeredWell(status)) {
                fail("gRPC " + name, "#" + i + " -> " + status + "; sent " + sent.stream()
                        .map(m -> m.length > 64 ? m.length + " bytes" : toHex(m)).collect(Collectors.joining(", ")));
            }
        }
        System.out.println("FuzzIT: " + name + ": " + codes);
    }

    /**
     * Taken (OK), or refused with a status whose description names the problem; never UNKNOWN (an
     * exception escaped the service), never unanswered.
     */
    private static boolean answeredWell(Status s) {
        return switch (s.getCode()) {
            case OK -> true;
            case UNKNOWN, DEADLINE_EXCEEDED, UNAVAILABLE, UNAUTHENTICATED, UNIMPLEMENTED -> false;
            default -> s.getDescription() != null && !s.getDescription().isBlank();
        };
    }

    private static String toHex(byte[] b) {
        StringBuilder sb = new StringBuilder();
        for (byte x : b) {
            sb.append(String.format("%02x", x));
        }
        return sb.toString();
    }

    // ------------------------------------------------------------------ HTTP ingest

    /** One ingest request, the status it must get, and the counts of the valid words it carries. */
    private record Post(String method, String url, String token, byte[] body, int want, Map<String, Long> words) {
    }

    /** {@code n} posts, made in order from {@code random}, sent 8 at a time: an accepted one waits for its block. */
    private void fuzzIngest(String url, JunkLines lines, Random random, Map<String, Long> expected, int n) throws Exception {
        List<Post> posts = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            posts.add(post(url, lines, random));
        }
        ExecutorService senders = Executors.newFixedThreadPool(8);
        try {
            List<Future<HttpResponse<String>>> answers = new ArrayList<>();
            for (Post p : posts) {
                answers.add(senders.submit(() -> send(p)));
            }
            Map<Integer, Integer> statuses = new TreeMap<>();
            for (int i = 0; i < n; i++) {
                Post p = posts.get(i);
                HttpResponse<String> answer = answers.get(i).get();
                inputs++;
                statuses.merge(answer.statusCode(), 1, Integer::sum);
                if (answer.statusCode() != p.want()) {
                    fail("ingest", "#" + i + " " + p.method() + " " + p.url() + " expected " + p.want() + ", got "
                            + answer.statusCode() + " " + SpecMutator.shortened(answer.body(), 200) + "; body "
                            + SpecMutator.shortened(new String(p.body(), StandardCharsets.UTF_8), 200));
                }
                if (answer.statusCode() == 202) {
                    p.words().forEach((k, v) -> expected.merge(k, v, Long::sum));
                }
            }
            System.out.println("FuzzIT: ingest statuses " + statuses);
        } finally {
            senders.shutdownNow();
        }
    }

    private static Post post(String url, JunkLines lines, Random random) {
        Map<String, Long> words = new TreeMap<>();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (int k = random.nextInt(12); k > 0; k--) {
            body.writeBytes(random.nextBoolean() ? lines.valid(words) : validJunk(lines));
        }
        int kind = random.nextInt(20);
        if (kind < 10) {
            return new Post("POST", url, LocalCluster.TOKEN, body.toByteArray(), 202, words);
        } else if (kind < 13) {
            body.writeBytes(invalidUtf8(lines));
            body.writeBytes(lines.valid(new TreeMap<>()));
            return new Post("POST", url, LocalCluster.TOKEN, body.toByteArray(), 400, words);
        } else if (kind < 15) {
            body.writeBytes(("q1 " + "y".repeat(MAX_LINE) + "\n").getBytes(StandardCharsets.UTF_8));
            return new Post("POST", url, LocalCluster.TOKEN, body.toByteArray(), 413, words);
        } else if (kind == 15) {
            while (body.size() <= MAX_BODY) {
                body.writeBytes(lines.valid(new TreeMap<>()));
            }
            return new Post("POST", url, LocalCluster.TOKEN, body.toByteArray(), 413, words);
        } else if (kind == 16) {
            return new Post("POST", url + "-" + random.nextInt(10), LocalCluster.TOKEN, body.toByteArray(), 404, words);
        } else if (kind == 17) {
            return new Post("POST", url, random.nextBoolean() ? null : "wrong-" + LocalCluster.TOKEN, body.toByteArray(),
                    401, words);
        } else if (kind == 18) {
            return new Post(random.nextBoolean() ? "PUT" : "GET", url, LocalCluster.TOKEN, body.toByteArray(), 405, words);
        }
        return new Post("POST", url, LocalCluster.TOKEN, new byte[0], 202, Map.of());
    }

    /** Sends {@code p}; a 503 asks to come back (the receiver is busy; nothing of the body was taken). */
    private HttpResponse<String> send(Post p) throws Exception {
        HttpResponse<String> answer = null;
        for (int attempt = 0; attempt < 50 && (answer == null || answer.statusCode() == 503); attempt++) {
            if (answer != null) {
                Thread.sleep(100);
            }
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(p.url())).timeout(Duration.ofSeconds(20))
                    .header("Content-Type", p.body().length % 2 == 0 ? "text/plain" : "application/octet-stream")
                    .method(p.method(), "GET".equals(p.method()) ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofByteArray(p.body()));
            if (p.token() != null) {
                b.header("Authorization", "Bearer " + p.token());
            }
            answer = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        }
        return answer;
    }

    private static byte[] validJunk(JunkLines lines) {
        JunkLines.Junk j;
        do {
            j = lines.junk();
        } while (j.invalid());
        return j.bytes();
    }

    private static byte[] invalidUtf8(JunkLines lines) {
        JunkLines.Junk j;
        do {
            j = lines.junk();
        } while (!j.invalid() || j.bytes().length > MAX_LINE);
        return j.bytes();
    }

    // ------------------------------------------------------------------ the cluster

    private interface Step {
        void run() throws Exception;
    }

    private static void timed(String what, Step step) throws Exception {
        long t = System.currentTimeMillis();
        step.run();
        System.out.println("FuzzIT: " + what + " took " + (System.currentTimeMillis() - t) + " ms");
    }

    /** Waits until every app is ready and the ingest path is served. */
    private void awaitServing(LocalCluster cluster, Map<String, String> apps, String ingest) throws Exception {
        long deadline = System.currentTimeMillis() + 90_000;
        for (String app : apps.values()) {
            while (status(app + "/q/health/ready") != 200) {
                if (System.currentTimeMillis() > deadline) {
                    throw new AssertionError(app + " never got ready" + cluster.logTails());
                }
                Thread.sleep(200);
            }
        }
        while (true) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(ingest))
                    .header("Authorization", "Bearer " + LocalCluster.TOKEN)
                    .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() == 202) {
                return;
            }
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("ingest never served: " + r.statusCode() + " " + r.body() + cluster.logTails());
            }
            Thread.sleep(200);
        }
    }

    private int status(String url) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    private static long batchesCompleted(LocalCluster cluster) {
        String s = cluster.get("/api/jobs/" + JOB);
        Matcher m = s == null ? null : BATCHES_COMPLETED.matcher(s);
        return m != null && m.find() ? Long.parseLong(m.group(1)) : -1;
    }

    /** The counts of the q words under {@code out}, once the whole socket feed is sent and they equal {@code expected} or time is up. */
    private static Map<String, Long> awaitCounts(Path out, Map<String, Long> expected, CorpusServer socket, int chunks)
            throws Exception {
        long deadline = System.currentTimeMillis() + 60_000;
        Map<String, Long> counted = Map.of();
        while (System.currentTimeMillis() < deadline) {
            counted = CountFiles.sum(out).entrySet().stream().filter(e -> e.getKey().indexOf('q') >= 0)
                    .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue, Long::sum, TreeMap::new));
            if (socket.sent() == chunks && counted.equals(expected)) {
                return counted;
            }
            Thread.sleep(300);
        }
        return counted;
    }
}
