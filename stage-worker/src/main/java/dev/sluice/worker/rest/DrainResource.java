package dev.sluice.worker.rest;

import dev.sluice.worker.app.WorkerRuntime;
import jakarta.inject.Inject;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@code POST /api/drain}: called before the worker stops (the Kubernetes preStop hook, a
 * scale-down). It returns once the coordinator sends this worker no more tasks and needs
 * nothing it holds, so stopping it then fails no batch.
 */
@Path("/api/drain")
public class DrainResource {

    private static final String PROBLEM = "application/problem+json";

    @Inject
    WorkerRuntime runtime;

    /**
     * Drains this worker, waiting at most {@code timeout} seconds (default 60).
     *
     * @return 200 once drained; 504 when the wait ran out; 503 when the worker is not registered
     */
    @POST
    @Produces(MediaType.APPLICATION_JSON)
    public Response drain(@QueryParam("timeout") @DefaultValue("60") int timeoutSeconds) throws InterruptedException {
        if (timeoutSeconds <= 0 || timeoutSeconds > 3600) {
            return problem(400, "Bad timeout", "timeout must be 1..3600 seconds, got " + timeoutSeconds);
        }
        long started = System.currentTimeMillis();
        try {
            runtime.drain().get(timeoutSeconds, TimeUnit.SECONDS);
        } catch (IllegalStateException e) {
            return problem(503, "Not registered", e.getMessage());
        } catch (TimeoutException e) {
            return problem(504, "Drain timed out", "the coordinator did not release this worker within " + timeoutSeconds
                    + " s: tasks may still run on it or a job may still need what it keeps; stopping it now costs a recomputation");
        } catch (ExecutionException e) {
            return problem(500, "Drain failed", String.valueOf(e.getCause()));
        }
        return Response.ok(Map.of("drained", true, "waitedMs", System.currentTimeMillis() - started)).build();
    }

    private static Response problem(int status, String title, String detail) {
        return Response.status(status).type(PROBLEM)
                .entity(Map.of("type", "about:blank", "title", title, "status", status, "detail", detail)).build();
    }
}
