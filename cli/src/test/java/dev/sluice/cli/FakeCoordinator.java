package dev.sluice.cli;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A stand-in for the coordinator's REST API in unit tests: a JDK HTTP server on a free
 * loopback port that answers each {@code METHOD path?query} with the JSON it was given
 * (the shapes the coordinator answers with), one answer after the other, the last one
 * again and again; anything else gets a 404 problem. It records every request.
 */
final class FakeCoordinator implements AutoCloseable {

    /** A request it received. */
    record Request(String method, String uri, Map<String, List<String>> headers, String body) {

        String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> e.getValue().get(0)).findFirst().orElse(null);
        }
    }

    private record Answer(int status, String contentType, String body) {
    }

    private final HttpServer server;
    private final Map<String, Deque<Answer>> answers = new ConcurrentHashMap<>();
    final List<Request> requests = new CopyOnWriteArrayList<>();

    FakeCoordinator() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Answers {@code METHOD pathAndQuery} with {@code status} and the JSON {@code body}, after the answers given before. */
    FakeCoordinator on(String methodAndPath, int status, String body) {
        String type = status >= 400 ? "application/problem+json" : "application/json";
        answers.computeIfAbsent(methodAndPath, k -> new ArrayDeque<>()).add(new Answer(status, type, body));
        return this;
    }

    /** Answers with a problem+json body, as the coordinator's errors are. */
    FakeCoordinator problem(String methodAndPath, int status, String title, String detail) {
        return on(methodAndPath, status, "{\"type\":\"about:blank\",\"title\":\"" + title + "\",\"status\":" + status
                + ",\"detail\":\"" + detail.replace("\"", "\\\"") + "\",\"instance\":\"/x\"}");
    }

    /** Answers with a body that is not JSON. */
    FakeCoordinator text(String methodAndPath, int status, String body) {
        answers.computeIfAbsent(methodAndPath, k -> new ArrayDeque<>()).add(new Answer(status, "text/html", body));
        return this;
    }

    /** The requests made to {@code METHOD pathAndQuery}. */
    List<Request> requests(String methodAndPath) {
        return requests.stream().filter(r -> (r.method() + " " + r.uri()).equals(methodAndPath)).toList();
    }

    private void handle(HttpExchange exchange) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        String uri = exchange.getRequestURI().getRawPath()
                + (exchange.getRequestURI().getRawQuery() == null ? "" : "?" + exchange.getRequestURI().getRawQuery());
        requests.add(new Request(exchange.getRequestMethod(), uri, Map.copyOf(exchange.getRequestHeaders()), body));
        Deque<Answer> queue = answers.get(exchange.getRequestMethod() + " " + uri);
        Answer answer;
        if (queue == null || queue.isEmpty()) {
            answer = new Answer(404, "application/problem+json", "{\"title\":\"Not Found\",\"status\":404,"
                    + "\"detail\":\"the fake has no answer for " + exchange.getRequestMethod() + " " + uri + "\"}");
        } else {
            synchronized (queue) {
                answer = queue.size() > 1 ? queue.poll() : queue.peek();
            }
        }
        byte[] bytes = answer.body().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", answer.contentType());
        exchange.sendResponseHeaders(answer.status(), bytes.length == 0 ? -1 : bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
