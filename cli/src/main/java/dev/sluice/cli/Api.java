package dev.sluice.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import javax.net.ssl.SSLHandshakeException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * The coordinator's REST API over {@code java.net.http}: JSON in and out, every request
 * with {@code Authorization: Bearer <token>} when there is a token. An error answer
 * becomes an {@link ApiException} with its problem's title and detail; no answer at all
 * becomes {@link Unreachable}.
 */
final class Api {

    static final ObjectMapper JSON = new ObjectMapper();

    /** Pretty JSON as jq prints it: two-space indents, arrays one element a line, {@code "key": value}. */
    static final ObjectWriter PRETTY = JSON.writer(new DefaultPrettyPrinter()
            .withArrayIndenter(new DefaultIndenter("  ", "\n"))
            .withObjectIndenter(new DefaultIndenter("  ", "\n"))
            .withSeparators(Separators.createDefaultInstance().withObjectFieldValueSpacing(Separators.Spacing.AFTER)));

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);
    private static final Map<Integer, String> REASONS = Map.ofEntries(
            Map.entry(400, "Bad Request"), Map.entry(401, "Unauthorized"), Map.entry(403, "Forbidden"),
            Map.entry(404, "Not Found"), Map.entry(405, "Method Not Allowed"), Map.entry(409, "Conflict"),
            Map.entry(415, "Unsupported Media Type"), Map.entry(422, "Unprocessable Content"),
            Map.entry(500, "Internal Server Error"), Map.entry(502, "Bad Gateway"),
            Map.entry(503, "Service Unavailable"), Map.entry(504, "Gateway Timeout"));

    private final String base;
    private final String token;
    private final HttpClient http;

    /**
     * @param base  the coordinator's URL, e.g. http://localhost:8080
     * @param token the API token, or null/blank for none
     * @param ca    a PEM file with the CA certificate(s) to trust for https:// instead of the
     *              JDK's, or null/blank
     */
    Api(String base, String token, String ca) {
        this.base = base;
        this.token = token == null || token.isBlank() ? null : token.trim();
        HttpClient.Builder http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(CONNECT_TIMEOUT)
                .followRedirects(HttpClient.Redirect.NORMAL);
        if (ca != null && !ca.isBlank()) {
            http.sslContext(PrivateCa.context(Path.of(ca.trim())));
        }
        this.http = http.build();
    }

    String base() {
        return base;
    }

    JsonNode get(String path) {
        return send("GET", path, null);
    }

    /** POSTs {@code body} (a JSON value, or null for an empty body). */
    JsonNode post(String path, Object body) {
        return send("POST", path, body);
    }

    JsonNode put(String path, Object body) {
        return send("PUT", path, body);
    }

    private JsonNode send(String method, String path, Object body) {
        String url = base + path;
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(REQUEST_TIMEOUT)
                .header("Accept", "application/json, application/problem+json")
                .header("User-Agent", "sluice-cli");
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        if (body == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            try {
                request.header("Content-Type", "application/json")
                        .method(method, HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
            } catch (JsonProcessingException e) {
                throw new IllegalArgumentException("cannot write the request as JSON", e);
            }
        }
        HttpResponse<String> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (HttpConnectTimeoutException e) {
            throw new Unreachable("cannot reach the coordinator at " + base + ": no connection within "
                    + Fmt.duration(CONNECT_TIMEOUT.toMillis()), e);
        } catch (HttpTimeoutException e) {
            throw new Unreachable("the coordinator at " + base + " did not answer " + method + " " + path + " within "
                    + Fmt.duration(REQUEST_TIMEOUT.toMillis()), e);
        } catch (IOException e) {
            throw new Unreachable("cannot reach the coordinator at " + base + " (" + reason(e) + ")", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Failure("interrupted");
        }
        int status = response.statusCode();
        String text = response.body() == null ? "" : response.body();
        if (status >= 400) {
            throw problem(status, text);
        }
        if (text.isBlank()) {
            return JSON.nullNode();
        }
        try {
            return JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new Failure(method + " " + url + " answered " + status + " but not with JSON (is " + base
                    + " a Sluice coordinator?): " + Fmt.abbreviate(text.strip(), 200));
        }
    }

    /** The error an answer with status {@code status} and body {@code text} means. */
    static ApiException problem(int status, String text) {
        String title = REASONS.getOrDefault(status, "Error");
        String detail = text.strip();
        try {
            JsonNode problem = JSON.readTree(text);
            if (problem != null && problem.isObject()) {
                if (problem.hasNonNull("title") && !problem.get("title").asText().isBlank()) {
                    title = problem.get("title").asText();
                }
                detail = problem.hasNonNull("detail") ? problem.get("detail").asText() : "";
            }
        } catch (JsonProcessingException e) {
            detail = Fmt.abbreviate(detail, 300);
        }
        if ((status == 401 || status == 403) && detail.isEmpty()) {
            detail = "the coordinator wants an API token: set SLUICE_TOKEN to it";
        }
        return new ApiException(status, title, detail);
    }

    private static String reason(IOException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof UnresolvedAddressException || t instanceof java.net.UnknownHostException) {
                return "unknown host";
            }
            if (t instanceof ConnectException) {
                return "connection refused";
            }
            if (t instanceof SSLHandshakeException) {
                return "TLS handshake failed: " + t.getMessage() + "; for a cluster with its own CA, set SLUICE_CA to its PEM file";
            }
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    /** A path segment: {@code name} with everything but unreserved characters percent-encoded. */
    static String segment(String name) {
        StringBuilder sb = new StringBuilder();
        for (byte b : name.getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.'
                    || c == '_' || c == '~') {
                sb.append(c);
            } else {
                sb.append('%').append(String.format("%02X", b & 0xff));
            }
        }
        return sb.toString();
    }
}
