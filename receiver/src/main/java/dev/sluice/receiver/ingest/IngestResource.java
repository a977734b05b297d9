package dev.sluice.receiver.ingest;

import dev.sluice.protocol.check.Refusal;
import dev.sluice.protocol.check.RefusalCounter;
import dev.sluice.receiver.ReceiverLifecycle;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code POST /api/ingest/{path}}: newline-delimited UTF-8 records for the HTTP source of that
 * path (see {@link HttpIngest}). Answers 202 {@code {"records": n, "block": "<id>"}} once the
 * records are durable (logged, or replicated and reported); errors are {@code application/problem+json}, 503s
 * carry {@code Retry-After}. Counts requests by path and status in
 * {@code sluice_receiver_http_requests_total} (path {@code -} for paths not assigned here), and
 * refused bodies (400, 404, 413) in {@code sluice_refused_total{boundary="http_ingest"}}. With a
 * cluster token, a POST must carry it ({@link TokenFilter}).
 *
 * <p>The body is parsed on a worker thread; the request then waits, without holding a thread,
 * for the block holding its records to be cut and made durable.
 */
@Path("/api/ingest")
public class IngestResource {

    /** The media type of error bodies (RFC 9457). */
    public static final String PROBLEM_JSON = "application/problem+json";

    private final ReceiverLifecycle receiver;
    private final MeterRegistry registry;
    private final RefusalCounter refusals;

    /** Serves the ingest of {@code receiver}, counting in {@code registry} and {@code refusals}. */
    @Inject
    public IngestResource(ReceiverLifecycle receiver, MeterRegistry registry, RefusalCounter refusals) {
        this.receiver = receiver;
        this.registry = registry;
        this.refusals = refusals;
    }

    /** Ingests the lines of {@code body} into the HTTP source of {@code path}. */
    @POST
    @Path("{path}")
    @Consumes(MediaType.WILDCARD)
    @Blocking
    public Uni<Response> ingest(@PathParam("path") String path, byte[] body) {
        HttpIngest ingest = receiver.ingest();
        if (ingest == null) {
            return Uni.createFrom().item(respond(path, false,
                    new HttpIngest.Refused(503, "the receiver is starting", 1)));
        }
        boolean served = ingest.serves(path);
        return Uni.createFrom().completionStage(() -> ingest.ingest(path, body == null ? new byte[0] : body))
                // The stage completes on a block generator's thread, under its lock: answer elsewhere.
                .emitOn(Infrastructure.getDefaultWorkerPool())
                .map(outcome -> respond(path, served, outcome));
    }

    private Response respond(String path, boolean served, HttpIngest.Outcome outcome) {
        Counter.builder("sluice.receiver.http.requests")
                .description("HTTP ingest requests, by path and status")
                .tag("path", served ? path : "-")
                .tag("status", Integer.toString(outcome.status()))
                .register(registry)
                .increment();
        if (outcome instanceof HttpIngest.Accepted accepted) {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("records", accepted.records());
            body.put("block", accepted.blockId());
            return Response.accepted(body).type(MediaType.APPLICATION_JSON_TYPE).build();
        }
        HttpIngest.Refused refused = (HttpIngest.Refused) outcome;
        // A 503 refuses no input: it asks the client to come back (sluice_receiver_http_requests_total shows them).
        switch (refused.status()) {
            case 400 -> refusals.count(RefusalCounter.Boundary.HTTP_INGEST, Refusal.Reason.INVALID);
            case 404 -> refusals.count(RefusalCounter.Boundary.HTTP_INGEST, Refusal.Reason.UNKNOWN);
            case 413 -> refusals.count(RefusalCounter.Boundary.HTTP_INGEST, Refusal.Reason.TOO_LARGE);
            default -> { }
        }
        Response.Status status = Response.Status.fromStatusCode(refused.status());
        Map<String, Object> problem = new LinkedHashMap<>();
        problem.put("type", "about:blank");
        problem.put("title", status == null ? "Error" : status.getReasonPhrase());
        problem.put("status", refused.status());
        problem.put("detail", refused.detail());
        problem.put("instance", "/api/ingest/" + path);
        Response.ResponseBuilder r = Response.status(refused.status()).type(PROBLEM_JSON).entity(problem);
        if (refused.retryAfterSeconds() > 0) {
            r.header("Retry-After", Long.toString(refused.retryAfterSeconds()));
        }
        return r.build();
    }
}
