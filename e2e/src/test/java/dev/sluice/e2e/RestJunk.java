package dev.sluice.e2e;

import dev.sluice.pipeline.SpecMutator;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;

/**
 * Malformed requests to the coordinator's mutating REST endpoints (submit, stop, scale),
 * deterministic for a given {@link Random}: truncated and mistyped JSON, nulls, random bytes,
 * bodies over the size limit, wrong content types and methods, no or a wrong token, and job
 * submissions of malformed pipeline specs ({@link SpecMutator}). Never one that stops or
 * replaces the job {@code keep}.
 */
final class RestJunk {

    /** One request: what to send, and whether to send the cluster token (else a wrong one or none). */
    record Request(String method, String path, String contentType, byte[] body, boolean token) {
        String describe() {
            return method + " " + path + " (" + contentType + ", " + (token ? "token" : "no token") + "): "
                    + SpecMutator.shortened(new String(body, StandardCharsets.UTF_8), 200);
        }
    }

    private static final List<String> JSON_JUNK = List.of("", "null", "[]", "{}", "\"text\"", "42", "{", "{\"name\":",
            "{\"name\": \"pipeline\", \"args\": {\"spec\": ", "{\"name\": null}", "{\"name\": 7}", "{\"name\": [\"a\"]}",
            "{\"name\": {\"a\": 1}}", "{\"name\": \"pipeline\", \"args\": [1, 2]}", "{\"name\": \"pipeline\", \"args\": \"x\"}",
            "{\"name\": \"pipeline\", \"args\": {\"spec\": null}}", "{\"name\": \"pipeline\", \"args\": {\"spec\": 5}}",
            "{\"name\": \"pipeline\", \"args\": {\"spec\": {\"sources\": {}}}}", "{\"name\": \"pipeline\", \"args\": {\"spec-file\": \"/etc/passwd\"}}",
            "{\"name\": \"pipeline\", \"args\": {\"spec-file\": \"/dev/zero\"}}", "{\"name\": \"pipeline\", \"args\": {\"spec-file\": \"/nonexistent\"}}",
            "{\"name\": \"pipeline\", \"args\": {\"spec\": \"x\", \"spec-file\": \"y\"}}", "{\"name\": \"pipeline\", \"args\": {\"batch\": \"-1s\"}}",
            "{\"name\": \"wordcount\", \"args\": {\"source\": \"socket://localhost:1\"}}", "{\"name\": \"no-such-job\"}",
            "{\"name\": \"\\u0000\"}", "{\"name\": \"pipeline\", \"args\": {\"spec\": \"\\ud800\"}}", "{\"replicas\": -1}",
            "{\"replicas\": 1.5}", "{\"replicas\": \"3\"}", "{\"replicas\": 99999999999}", "{\"replicas\": null}",
            "{\"replicas\": 2}", "{\"replicas\": 2, \"replicas\": 3}", "[{\"replicas\": 1}]", "{\"name\": \"a\", \"name\": \"b\"}",
            "{\"name\": \"pipeline\", \"unknown\": true}", "\uFEFF{\"name\": \"pipeline\"}", "{'name': 'pipeline'}");
    private static final List<String> TYPES = List.of("application/json", "application/json", "application/json",
            "text/plain", "application/x-www-form-urlencoded", "application/octet-stream", "application/json; charset=latin1",
            "application/problem+json", "multipart/form-data; boundary=x", "*/*", "json");

    private final Random random;
    private final SpecMutator specs;
    private final String keep;

    RestJunk(Random random, String keep) {
        this.random = random;
        this.specs = new SpecMutator(random);
        this.keep = keep;
    }

    /** The next request. */
    Request next() {
        String type = pick(TYPES);
        boolean token = random.nextInt(20) != 0;
        return switch (random.nextInt(10)) {
            case 0, 1, 2 -> new Request("POST", "/api/jobs", "application/json",
                    submission(specs.next()).getBytes(StandardCharsets.UTF_8), token);
            case 3, 4 -> new Request("POST", "/api/jobs", type, body(), token);
            case 5 -> new Request("POST", "/api/jobs/" + name() + "/stop", type, body(), token);
            case 6, 7 -> new Request("PUT", "/api/pools/" + name() + "/replicas", type, body(), token);
            case 8 -> new Request(pick(List.of("DELETE", "PATCH", "PUT")), pick(List.of("/api/jobs", "/api/jobs/" + keep,
                    "/api/pools", "/api/workers")), type, body(), token);
            default -> new Request("POST", "/api/jobs", "application/json", huge(), token);
        };
    }

    private static String submission(String spec) {
        return "{\"name\": \"pipeline\", \"args\": {\"spec\": " + SpecMutator.quoted(spec) + ", \"batch\": \"1s\"}}";
    }

    private byte[] body() {
        return switch (random.nextInt(4)) {
            case 0 -> {
                byte[] b = new byte[random.nextInt(500)];
                random.nextBytes(b);
                yield b;
            }
            case 1 -> {
                String s = pick(JSON_JUNK);
                yield s.substring(0, random.nextInt(s.length() + 1)).getBytes(StandardCharsets.UTF_8);
            }
            default -> pick(JSON_JUNK).getBytes(StandardCharsets.UTF_8);
        };
    }

    /** A body just over or far over the coordinator's 1 MiB limit, or deeply nested JSON under it. */
    private byte[] huge() {
        return switch (random.nextInt(3)) {
            case 0 -> new byte[(1 << 20) + 1 + random.nextInt(1 << 20)];
            case 1 -> ("{\"name\": " + "[".repeat(100_000) + "]".repeat(100_000) + "}").getBytes(StandardCharsets.UTF_8);
            default -> {
                StringBuilder sb = new StringBuilder("{\"name\": \"pipeline\", \"args\": {");
                for (int i = 0; i < 20_000; i++) {
                    sb.append("\"k").append(i).append("\": \"v\",");
                }
                yield sb.append("\"spec\": \"x\"}}").toString().getBytes(StandardCharsets.UTF_8);
            }
        };
    }

    /** A job or pool name, URL-encoded; never {@code keep}. */
    private String name() {
        String name = switch (random.nextInt(5)) {
            case 0 -> "pipeline";
            case 1 -> "default";
            case 2 -> "..";
            case 3 -> "\u0000\u202E" + random.nextInt(100);
            default -> "x".repeat(1 + random.nextInt(3000));
        };
        return URLEncoder.encode(name.equals(keep) ? name + "-not" : name, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private <T> T pick(List<T> from) {
        return from.get(random.nextInt(from.size()));
    }
}
