package dev.sluice.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The commands: each asks the API, then prints a table (or the JSON with --json). */
final class Commands {

    static final int DEFAULT_LIMIT = 20;
    static final int MAX_LIMIT = 1000;
    /** How long a wait waits by default, on top of two batch intervals. */
    static final long DEFAULT_WAIT_MS = 120_000;

    private final Cli.Context context;
    private final Invocation invocation;
    private final Api api;
    private final PrintStream out;

    Commands(Cli.Context context, Invocation invocation, Api api) {
        this.context = context;
        this.invocation = invocation;
        this.api = api;
        this.out = context.out();
    }

    void run() {
        List<String> args = invocation.args();
        switch (invocation.command()) {
            case "status" -> status();
            case "jobs" -> {
                if (args.isEmpty()) {
                    jobs();
                } else {
                    job(args.get(0));
                }
            }
            case "submit" -> submit(args.get(0), args.subList(1, args.size()));
            case "stop" -> stop(args.get(0));
            case "batches" -> {
                if (args.size() == 1) {
                    batches(args.get(0));
                } else {
                    if (invocation.has("--limit") || invocation.has("--before")) {
                        throw new UsageException("batches NAME TIME shows one batch: --limit and --before page "
                                + "through the list (batches NAME [--limit N] [--before TIME])");
                    }
                    batch(args.get(0), args.get(1));
                }
            }
            case "workers" -> workers();
            case "pools" -> pools();
            case "scale" -> scale(args.get(0), args.get(1));
            case "receivers" -> receivers();
            default -> throw new UsageException("unknown command '" + invocation.command() + "'");
        }
    }

    // ------------------------------------------------------------------------------ status

    private void status() {
        JsonNode jobs = api.get("/api/jobs");
        JsonNode workers = api.get("/api/workers");
        JsonNode receivers;
        try {
            receivers = api.get("/api/receivers");
        } catch (ApiException e) {
            receivers = null;   // an older coordinator: the rest is still worth showing
        }
        if (invocation.json()) {
            ObjectNode all = Api.JSON.createObjectNode();
            all.put("url", api.base());
            all.set("jobs", jobs);
            all.set("workers", workers);
            all.set("receivers", receivers);
            printJson(all);
            return;
        }
        int running = 0;
        for (JsonNode job : items(jobs)) {
            running += "RUNNING".equals(text(job, "state")) ? 1 : 0;
        }
        long slots = 0;
        long free = 0;
        for (JsonNode w : items(workers)) {
            slots += number(w, "slots", 0);
            free += number(w, "freeSlots", 0);
        }
        out.println("Sluice at " + api.base() + ": " + Fmt.count(items(jobs).size(), "job") + " (" + running
                + " running), " + Fmt.count(items(workers).size(), "worker") + " (" + slots + " slots, " + free
                + " free)" + (receivers == null ? "" : ", " + Fmt.count(items(receivers).size(), "receiver")));
        if (items(jobs).isEmpty()) {
            out.println();
            out.println("No jobs. Submit one: " + context.program() + " submit NAME KEY=VALUE ...");
            return;
        }
        Table table = new Table("JOB", "STATE", "INTERVAL>", "DONE>", "FAILED>", "PENDING>", "LAST BATCH",
                "SCHED DELAY>", "KEEPS UP");
        List<String> behind = new ArrayList<>();
        for (JsonNode job : items(jobs)) {
            String keepsUp = keepsUp(job);
            table.row(text(job, "name"), text(job, "state"), Fmt.duration(longOrNull(job, "batchIntervalMs")),
                    longOrNull(job, "batchesCompleted"), longOrNull(job, "batchesFailed"),
                    longOrNull(job, "pendingBatches"), time(job, "lastBatchTime"),
                    Fmt.duration(longOrNull(job, "schedulingDelayMs")), keepsUp);
            if (keepsUp.equals("NO")) {
                behind.add(text(job, "name") + " is falling behind: its last batch waited "
                        + Fmt.duration(longOrNull(job, "schedulingDelayMs")) + " to be scheduled, longer than its "
                        + Fmt.duration(longOrNull(job, "batchIntervalMs")) + " batch interval ("
                        + Fmt.count(number(job, "pendingBatches", 0), "batch") + " pending)");
            }
        }
        out.println();
        out.print(table.render());
        if (!behind.isEmpty()) {
            out.println();
            behind.forEach(out::println);
        }
    }

    /**
     * Whether a job keeps up: its last batch was scheduled within one batch interval of its
     * time ("yes"), or not ("NO"); "-" while it has no finished batch or does not run.
     */
    static String keepsUp(JsonNode job) {
        Long delay = longOrNull(job, "schedulingDelayMs");
        Long interval = longOrNull(job, "batchIntervalMs");
        if (!"RUNNING".equals(text(job, "state")) || delay == null || delay < 0 || interval == null) {
            return "-";
        }
        return delay <= interval ? "yes" : "NO";
    }

    // ------------------------------------------------------------------------------ jobs

    private void jobs() {
        JsonNode jobs = api.get("/api/jobs");
        if (invocation.json()) {
            printJson(jobs);
            return;
        }
        if (items(jobs).isEmpty()) {
            out.println("No jobs at " + api.base() + ". Submit one: " + context.program() + " submit NAME KEY=VALUE ...");
            return;
        }
        Table table = new Table("NAME", "STATE", "INTERVAL>", "STARTED", "DONE>", "FAILED>", "PENDING>", "RECORDS>",
                "MEAN PROC>", "LAST BATCH", "SCHED DELAY>", "ARGS");
        for (JsonNode job : items(jobs)) {
            table.row(text(job, "name"), text(job, "state"), Fmt.duration(longOrNull(job, "batchIntervalMs")),
                    time(job, "startedAt"), longOrNull(job, "batchesCompleted"), longOrNull(job, "batchesFailed"),
                    longOrNull(job, "pendingBatches"), longOrNull(job, "recordsProcessed"),
                    Fmt.duration(meanProcessing(job)), time(job, "lastBatchTime"),
                    Fmt.duration(longOrNull(job, "schedulingDelayMs")), args(job.get("args")));
        }
        out.print(table.render());
    }

    private void job(String name) {
        JsonNode job = api.get("/api/jobs/" + Api.segment(name));
        if (invocation.json()) {
            printJson(job);
            return;
        }
        out.print(Table.fields(
                "name", text(job, "name"),
                "state", text(job, "state"),
                "batch interval", Fmt.duration(longOrNull(job, "batchIntervalMs")),
                "started", time(job, "startedAt"),
                "zero time", time(job, "zeroTime"),
                "batches done", longOrNull(job, "batchesCompleted"),
                "batches failed", longOrNull(job, "batchesFailed"),
                "batches pending", longOrNull(job, "pendingBatches"),
                "records processed", longOrNull(job, "recordsProcessed"),
                "mean processing", Fmt.duration(meanProcessing(job)),
                "last batch", time(job, "lastBatchTime"),
                "scheduling delay", Fmt.duration(longOrNull(job, "schedulingDelayMs")),
                "keeps up", keepsUp(job),
                "fingerprint", text(job, "fingerprint")));
        JsonNode args = job.get("args");
        if (args != null && args.isObject() && args.size() > 0) {
            out.println("args");
            List<Object> pairs = new ArrayList<>();
            args.fields().forEachRemaining(e -> {
                pairs.add("  " + e.getKey());
                pairs.add(Fmt.abbreviate(e.getValue().asText(), 100));
            });
            out.print(Table.fields(pairs.toArray()));
        }
    }

    // ------------------------------------------------------------------------------ submit and stop

    private void submit(String name, List<String> keyValues) {
        Map<String, String> args = new LinkedHashMap<>();
        for (String kv : keyValues) {
            int eq = kv.indexOf('=');
            if (eq <= 0) {
                throw new UsageException("submit: job arguments are KEY=VALUE, e.g. source=dir:/data; not '" + kv + "'");
            }
            String key = kv.substring(0, eq);
            if (args.put(key, kv.substring(eq + 1)) != null) {
                throw new UsageException("submit: argument '" + key + "' is given twice");
            }
        }
        if (invocation.has("--spec-file")) {
            if (args.containsKey("spec")) {
                throw new UsageException("submit: the spec is given both as spec=... and with --spec-file");
            }
            args.put("spec", readSpec(invocation.option("--spec-file")));
        }
        Long timeout = invocation.has("--timeout") ? Fmt.parseDurationMs(invocation.option("--timeout"), "--timeout") : null;
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", name);
        body.put("args", args);
        JsonNode job = api.post("/api/jobs", body);
        String jobName = text(job, "name") == null ? name : text(job, "name");
        if (!invocation.has("--wait")) {
            if (invocation.json()) {
                printJson(job);
            } else {
                out.println("submitted " + jobName + ": " + text(job, "state") + ", a batch every "
                        + Fmt.duration(longOrNull(job, "batchIntervalMs")) + argsSuffix(job));
            }
            return;
        }
        if (!invocation.json()) {
            out.println("submitted " + jobName + ": " + text(job, "state") + ", a batch every "
                    + Fmt.duration(longOrNull(job, "batchIntervalMs")) + argsSuffix(job));
            out.flush();
        }
        long interval = number(job, "batchIntervalMs", 1000);
        long limit = timeout != null ? timeout : DEFAULT_WAIT_MS + 2 * interval;
        Progress progress = progress();
        JsonNode status = job;
        while (true) {
            status = api.get("/api/jobs/" + Api.segment(jobName));
            long done = number(status, "batchesCompleted", 0);
            long failed = number(status, "batchesFailed", 0);
            long cut = done + failed + number(status, "pendingBatches", 0);
            if (done > 0) {
                progress.done();
                if (invocation.json()) {
                    printJson(status);
                } else {
                    out.println(jobName + "'s first batch completed after " + Fmt.duration(progress.elapsedMs())
                            + ": batch " + time(status, "lastBatchTime") + ", "
                            + Fmt.count(number(status, "recordsProcessed", 0), "record") + ", processed in "
                            + Fmt.duration(meanProcessing(status)));
                }
                return;
            }
            if (failed > 0) {
                progress.done();
                String error = firstError(jobName);
                throw new Failure(jobName + "'s first batch failed" + (error == null ? "" : ": " + error)
                        + " (see " + context.program() + " batches " + jobName + ")");
            }
            String state = text(status, "state");
            if (!"RUNNING".equals(state)) {
                progress.done();
                throw new Failure(jobName + " is " + state + " and completed no batch");
            }
            progress.show("waiting for " + jobName + "'s first batch: " + cut + " cut, " + done + " completed");
            if (progress.elapsedMs() >= limit) {
                progress.done();
                throw new Failure("gave up after " + Fmt.duration(progress.elapsedMs()) + " waiting for " + jobName
                        + "'s first batch (" + cut + " cut, none completed); the job goes on running: watch it with "
                        + context.program() + " batches " + jobName + ", stop it with " + context.program() + " stop "
                        + jobName + ", or wait longer with --timeout");
            }
            pause();
        }
    }

    private static String readSpec(String file) {
        try {
            return Files.readString(Path.of(file));
        } catch (NoSuchFileException e) {
            throw new UsageException("--spec-file: there is no file " + file);
        } catch (IOException | java.io.UncheckedIOException | java.nio.file.InvalidPathException e) {
            throw new UsageException("--spec-file: cannot read " + file + ": " + e.getMessage());
        }
    }

    /** The error of the job's newest failed batch, if there is one among the latest. */
    private String firstError(String job) {
        try {
            for (JsonNode b : items(api.get("/api/jobs/" + Api.segment(job) + "/batches?limit=50"))) {
                if ("FAILED".equals(text(b, "status")) && text(b, "error") != null) {
                    return text(b, "error");
                }
            }
        } catch (ApiException e) {
            // the failure is reported all the same
        }
        return null;
    }

    private void stop(String name) {
        Long timeout = invocation.has("--timeout") ? Fmt.parseDurationMs(invocation.option("--timeout"), "--timeout") : null;
        JsonNode job = api.post("/api/jobs/" + Api.segment(name) + "/stop", null);
        String state = text(job, "state");
        if (!invocation.has("--wait")) {
            if (invocation.json()) {
                printJson(job);
            } else if ("STOPPED".equals(state)) {
                out.println(stoppedLine(name, job));
            } else {
                long pending = number(job, "pendingBatches", 0);
                out.println("stopping " + name + ": " + state + (pending == 0 ? "" : ", " + Fmt.count(pending, "batch")
                        + " still to finish") + " (" + context.program() + " stop " + name + " --wait waits until it is "
                        + "STOPPED)");
            }
            return;
        }
        long limit = timeout != null ? timeout : DEFAULT_WAIT_MS + 2 * number(job, "batchIntervalMs", 1000);
        Progress progress = progress();
        while (!"STOPPED".equals(state)) {
            progress.show("stopping " + name + ": " + state + ", " + number(job, "pendingBatches", 0) + " pending, "
                    + number(job, "batchesCompleted", 0) + " completed");
            if (progress.elapsedMs() >= limit) {
                progress.done();
                throw new Failure("gave up after " + Fmt.duration(progress.elapsedMs()) + " waiting for " + name
                        + " to stop: it is " + state + " with " + Fmt.count(number(job, "pendingBatches", 0), "batch")
                        + " pending (wait longer with --timeout)");
            }
            pause();
            job = api.get("/api/jobs/" + Api.segment(name));
            state = text(job, "state");
        }
        progress.done();
        if (invocation.json()) {
            printJson(job);
        } else {
            out.println(stoppedLine(name, job));
        }
    }

    private static String stoppedLine(String name, JsonNode job) {
        return name + " stopped: " + Fmt.count(number(job, "batchesCompleted", 0), "batch") + " completed, "
                + number(job, "batchesFailed", 0) + " failed, "
                + Fmt.count(number(job, "recordsProcessed", 0), "record") + " processed";
    }

    // ------------------------------------------------------------------------------ batches

    private void batches(String name) {
        int limit = DEFAULT_LIMIT;
        if (invocation.has("--limit")) {
            String value = invocation.option("--limit");
            if (!value.matches("\\d{1,4}") || Integer.parseInt(value) < 1 || Integer.parseInt(value) > MAX_LIMIT) {
                throw new UsageException("--limit must be a whole number from 1 to " + MAX_LIMIT + ", not '" + value + "'");
            }
            limit = Integer.parseInt(value);
        }
        Long before = invocation.has("--before") ? Fmt.parseBatchTime(invocation.option("--before"), "--before",
                context.zone(), Instant.ofEpochMilli(context.clock().getAsLong())) : null;
        JsonNode batches = api.get("/api/jobs/" + Api.segment(name) + "/batches?limit=" + limit
                + (before == null ? "" : "&before=" + before));
        if (invocation.json()) {
            printJson(batches);
            return;
        }
        List<JsonNode> list = items(batches);
        if (list.isEmpty()) {
            out.println(before == null ? name + " has no batches yet" : name + " has no batches before "
                    + Fmt.time(before, context.zone()));
            return;
        }
        Table table = new Table("TIME", "STATUS", "RECORDS>", "SCHED DELAY>", "PROCESSING>", "TOTAL DELAY>", "TASKS>",
                "ERROR");
        for (JsonNode b : list) {
            table.row(time(b, "batchTime"), text(b, "status"), longOrNull(b, "inputRecords"),
                    Fmt.duration(longOrNull(b, "schedulingDelayMs")), Fmt.duration(longOrNull(b, "processingTimeMs")),
                    Fmt.duration(longOrNull(b, "totalDelayMs")), longOrNull(b, "tasks"),
                    text(b, "error") == null ? "" : text(b, "error"));
        }
        out.print(table.render());
        if (list.size() == limit) {
            out.println("older: " + context.program() + " batches " + name + " --before "
                    + longOrNull(list.get(list.size() - 1), "batchTime") + "; one batch: " + context.program()
                    + " batches " + name + " TIME");
        }
    }

    private void batch(String name, String timeText) {
        long time = Fmt.parseBatchTime(timeText, "TIME", context.zone(), Instant.ofEpochMilli(context.clock().getAsLong()));
        JsonNode b = api.get("/api/jobs/" + Api.segment(name) + "/batches/" + time);
        if (invocation.json()) {
            printJson(b);
            return;
        }
        Long batchTime = longOrNull(b, "batchTime");
        out.print(Table.fields(
                "job", name,
                "batch", Fmt.time(batchTime, context.zone()) + " (" + batchTime + ")",
                "status", text(b, "status"),
                "input records", longOrNull(b, "inputRecords"),
                "scheduling delay", Fmt.duration(longOrNull(b, "schedulingDelayMs")),
                "processing", Fmt.duration(longOrNull(b, "processingTimeMs")),
                "total delay", Fmt.duration(longOrNull(b, "totalDelayMs")),
                "tasks", longOrNull(b, "tasks"),
                "error", text(b, "error")));
        List<JsonNode> stages = items(b.get("stages"));
        out.println();
        if (stages.isEmpty()) {
            out.println("No stages ran (yet).");
            return;
        }
        Table table = new Table("STAGE>", "FOR BATCH", "TASKS>", "ATTEMPTS>", "FAILED>", "SPECULATIVE>", "STARTED",
                "DURATION>");
        for (JsonNode s : stages) {
            Long first = longOrNull(s, "firstLaunchMs");
            Long last = longOrNull(s, "lastEndMs");
            Long duration = longOrNull(s, "durationMs");
            if (duration == null && first != null && last != null && last >= 0) {
                duration = last - first;
            }
            Long forBatch = longOrNull(s, "batchTimeMs");
            table.row(longOrNull(s, "stage"), forBatch != null && forBatch.equals(batchTime) ? "this"
                            : Fmt.time(forBatch, context.zone()), longOrNull(s, "tasks"), longOrNull(s, "attempts"),
                    longOrNull(s, "failedAttempts"), longOrNull(s, "speculative"), Fmt.time(first, context.zone()),
                    duration == null || duration < 0 ? "running" : Fmt.duration(duration));
        }
        out.print(table.render());
    }

    // ------------------------------------------------------------------------------ workers, pools, receivers

    private void workers() {
        JsonNode workers = api.get("/api/workers");
        if (invocation.json()) {
            printJson(workers);
            return;
        }
        List<JsonNode> list = items(workers);
        if (list.isEmpty()) {
            out.println("No workers are registered with the coordinator at " + api.base() + ".");
            return;
        }
        Table table = new Table("ID", "POOL", "ADDRESS", "SLOTS>", "FREE>", "RUNNING>", "SUCCEEDED>", "FAILED>",
                "REGISTERED", "HEARTBEAT>");
        long slots = 0;
        long free = 0;
        for (JsonNode w : list) {
            slots += number(w, "slots", 0);
            free += number(w, "freeSlots", 0);
            Long ago = longOrNull(w, "lastHeartbeatAgoMs");
            table.row(text(w, "id"), text(w, "pool"), text(w, "address"), longOrNull(w, "slots"),
                    longOrNull(w, "freeSlots"), longOrNull(w, "runningTasks"), longOrNull(w, "tasksSucceeded"),
                    longOrNull(w, "tasksFailed"), time(w, "registeredAt"), ago == null ? null : Fmt.duration(ago) + " ago");
        }
        out.print(table.render());
        out.println(Fmt.count(list.size(), "worker") + ", " + Fmt.count(slots, "slot") + " (" + free + " free)");
    }

    private void pools() {
        JsonNode pools = api.get("/api/pools");
        if (invocation.json()) {
            printJson(pools);
            return;
        }
        List<JsonNode> list = items(pools);
        if (list.isEmpty()) {
            out.println("No worker pools: none is configured (sluice.autoscale.pools.*) and no worker is registered.");
            return;
        }
        Table table = new Table("POOL", "DEPLOYMENT", "STAGES", "MIN>", "MAX>", "REPLICAS>", "WORKERS>", "AUTOSCALED");
        for (JsonNode p : list) {
            JsonNode autoscaled = p.get("autoscaled");
            table.row(text(p, "name"), text(p, "deployment"), text(p, "stages"), longOrNull(p, "min"),
                    longOrNull(p, "max"), longOrNull(p, "replicas"), longOrNull(p, "workers"),
                    autoscaled == null || autoscaled.isNull() ? null : autoscaled.asBoolean() ? "yes" : "no");
        }
        out.print(table.render());
    }

    private void scale(String pool, String replicasText) {
        if (!replicasText.matches("\\d{1,6}")) {
            throw new UsageException("scale: the replicas must be a whole number, 0 or more, not '" + replicasText + "'");
        }
        int replicas = Integer.parseInt(replicasText);
        JsonNode view = api.put("/api/pools/" + Api.segment(pool) + "/replicas", Map.of("replicas", replicas));
        if (invocation.json()) {
            printJson(view);
            return;
        }
        out.println("pool " + pool + ": replicas set to " + (longOrNull(view, "replicas") == null ? replicas
                : longOrNull(view, "replicas")) + " (bounds " + longOrNull(view, "min") + ".." + longOrNull(view, "max")
                + "); " + Fmt.count(number(view, "workers", 0), "worker") + " registered now");
    }

    private void receivers() {
        JsonNode receivers = api.get("/api/receivers");
        if (invocation.json()) {
            printJson(receivers);
            return;
        }
        List<JsonNode> list = items(receivers);
        if (list.isEmpty()) {
            out.println("No receivers are attached to the coordinator at " + api.base() + ".");
            return;
        }
        Table table = new Table("ID", "ADDRESS", "SOURCES", "RATE LIMITS");
        for (JsonNode r : list) {
            List<String> sources = new ArrayList<>();
            items(r.get("sources")).forEach(s -> sources.add(s.asText()));
            List<String> rates = new ArrayList<>();
            JsonNode rateMap = r.get("rates");
            if (rateMap != null && rateMap.isObject()) {
                rateMap.fields().forEachRemaining(e -> rates.add(e.getKey() + " " + Fmt.rate(e.getValue().asDouble())));
            }
            table.row(text(r, "id"), text(r, "address"), sources.isEmpty() ? "-" : String.join(", ", sources),
                    rates.isEmpty() ? "-" : String.join(", ", rates));
        }
        out.print(table.render());
    }

    // ------------------------------------------------------------------------------ helpers

    private Progress progress() {
        return new Progress(context.err(), context.interactive(), context.clock());
    }

    private void pause() {
        try {
            context.sleeper().sleep(context.pollMs());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Failure("interrupted");
        }
    }

    private void printJson(JsonNode node) {
        try {
            out.println(Api.PRETTY.writeValueAsString(node));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private String time(JsonNode node, String field) {
        return Fmt.time(longOrNull(node, field), context.zone());
    }

    private String argsSuffix(JsonNode job) {
        String args = args(job.get("args"));
        return args.isEmpty() ? "" : " (" + Fmt.abbreviate(args, 100) + ")";
    }

    /** A job's arguments as {@code key=value, ...}. */
    static String args(JsonNode args) {
        if (args == null || !args.isObject()) {
            return "";
        }
        List<String> kvs = new ArrayList<>();
        args.fields().forEachRemaining(e -> kvs.add(e.getKey() + "=" + Fmt.abbreviate(e.getValue().asText(), 40)));
        return String.join(", ", kvs);
    }

    /** The elements of a JSON array; none for anything else. */
    static List<JsonNode> items(JsonNode node) {
        List<JsonNode> list = new ArrayList<>();
        if (node != null && node.isArray()) {
            for (Iterator<JsonNode> it = node.elements(); it.hasNext(); ) {
                list.add(it.next());
            }
        }
        return list;
    }

    static String text(JsonNode node, String field) {
        JsonNode v = node == null ? null : node.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    static Long longOrNull(JsonNode node, String field) {
        JsonNode v = node == null ? null : node.get(field);
        return v == null || !v.isNumber() ? null : v.asLong();
    }

    /** The mean processing time of the job's completed batches; null while none completed. */
    private static Long meanProcessing(JsonNode job) {
        return number(job, "batchesCompleted", 0) == 0 ? null : roundedOrNull(job, "meanProcessingTimeMs");
    }

    private static Long roundedOrNull(JsonNode node, String field) {
        JsonNode v = node == null ? null : node.get(field);
        return v == null || !v.isNumber() ? null : Math.round(v.asDouble());
    }

    static long number(JsonNode node, String field, long otherwise) {
        Long v = longOrNull(node, field);
        return v == null ? otherwise : v;
    }
}
