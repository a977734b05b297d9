package dev.sluice.bench.load;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

/**
 * POSTs the corpus, on schedule, as newline-delimited bodies to an HTTP ingest endpoint
 * (a Sluice receiver's {@code /api/ingest/<path>}). A body the server refuses for now
 * (503 or 429) is sent again after its {@code Retry-After}; lines count as sent once a
 * body is accepted.
 */
public final class HttpLoad implements AutoCloseable {

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final URI target;
    private final String token;
    private final LineSender sender;
    private final Thread thread;
    private volatile long durationMs;
    private volatile IOException failure;

    /** Posts to {@code target}, with {@code Authorization: Bearer token} when {@code token} is not null. */
    public HttpLoad(URI target, String token, Corpus corpus, RateSchedule schedule, SendLog log) {
        this.target = target;
        this.token = token;
        this.sender = new LineSender(corpus, schedule, log) {
            @Override
            protected void send(byte[] bytes, int offset, int length) throws IOException {
                post(HttpRequest.BodyPublishers.ofByteArray(bytes, offset, length));
            }
        };
        this.thread = new Thread(this::run, "load-http");
        this.thread.setDaemon(true);
    }

    /** Starts posting for {@code durationMs}. */
    public void start(long durationMs) {
        this.durationMs = durationMs;
        thread.start();
    }

    /** Lines accepted so far. */
    public long sent() {
        return sender.sent();
    }

    /** Waits until posting has ended; throws what stopped it early, if anything did. */
    public void join() throws InterruptedException, IOException {
        thread.join();
        if (failure != null) {
            throw failure;
        }
    }

    private void run() {
        try {
            sender.sendUntil(System.currentTimeMillis() + durationMs);
        } catch (IOException e) {
            failure = e;
        }
    }

    private void post(HttpRequest.BodyPublisher body) throws IOException {
        HttpRequest.Builder request = HttpRequest.newBuilder(target)
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "text/plain; charset=utf-8")
                .POST(body);
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        while (true) {
            HttpResponse<String> response;
            try {
                response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted posting to " + target, e);
            }
            int status = response.statusCode();
            if (status / 100 == 2) {
                return;
            }
            if (status != 503 && status != 429) {
                throw new IOException("POST " + target + " answered " + status + ": " + response.body());
            }
            long retryMs = response.headers().firstValueAsLong("Retry-After").orElse(1) * 1000;
            LockSupport.parkNanos(Math.min(retryMs, 1000) * 1_000_000);
        }
    }

    @Override
    public void close() {
        thread.interrupt();
    }
}
