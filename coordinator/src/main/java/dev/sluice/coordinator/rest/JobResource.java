package dev.sluice.coordinator.rest;

import dev.sluice.coordinator.app.CoordinatorRuntime;
import dev.sluice.coordinator.job.JobRunner;
import jakarta.inject.Inject;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import dev.sluice.api.JobArgs;
import dev.sluice.engine.job.UnknownJobException;
import java.net.URI;
import java.util.Map;

import java.util.List;

/** Jobs and their batches. */
@Path("/api/jobs")
@Produces(MediaType.APPLICATION_JSON)
public class JobResource {

    private static final int MAX_LIMIT = 1000;

    @Inject
    CoordinatorRuntime runtime;

    /** Every job with its status. */
    @GET
    public List<JobStatus> list() {
        return runtime.jobs().list().stream().map(JobStatus::of).toList();
    }

    /** One job's status. */
    @GET
    @Path("/{name}")
    public JobStatus get(@PathParam("name") String name) {
        return JobStatus.of(job(name));
    }

    /**
     * Starts a job: {@code {"name": "wordcount", "args": {"source": "socket://host:9999"}}}.
     * A stopped job of the same name is replaced.
     *
     * @return 201 with the job's status; 400 naming the bad field; 409 when a job of that name runs
     */
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response submit(JobSubmission submission) {
        if (submission == null || submission.name() == null || submission.name().isBlank()) {
            throw ProblemException.badRequest("name: the job to run is required, e.g. {\"name\": \"wordcount\", "
                    + "\"args\": {\"source\": \"socket://localhost:9999\"}}; jobs here: " + runtime.jobs().catalogNames());
        }
        Map<String, String> args = submission.args() == null ? Map.of() : submission.args();
        JobRunner job;
        try {
            job = runtime.jobs().start(submission.name(), JobArgs.of(args));
        } catch (UnknownJobException e) {
            throw ProblemException.badRequest("name: " + e.getMessage());
        } catch (IllegalArgumentException e) {
            throw ProblemException.badRequest("args: " + e.getMessage());
        } catch (IllegalStateException e) {
            throw new ProblemException(409, "Conflict", e.getMessage());
        }
        return Response.created(URI.create("/api/jobs/" + job.name())).entity(JobStatus.of(job)).build();
    }

    /**
     * Stops a job gracefully: no more batches are cut, those cut run to their end.
     *
     * @return 202 with the job's status (STOPPING, then STOPPED)
     */
    @POST
    @Path("/{name}/stop")
    public Response stop(@PathParam("name") String name) {
        job(name);
        JobRunner job = runtime.jobs().stop(name).orElseThrow();
        return Response.accepted(JobStatus.of(job)).build();
    }

    /**
     * The job's recent batches, newest first, a page at a time: {@code limit} of them, older
     * than {@code before} (a batch time) when given.
     */
    @GET
    @Path("/{name}/batches")
    public List<BatchView> batches(@PathParam("name") String name, @QueryParam("limit") @DefaultValue("100") int limit,
                                   @QueryParam("before") Long before) {
        if (limit <= 0 || limit > MAX_LIMIT) {
            throw ProblemException.badRequest("limit must be in 1.." + MAX_LIMIT + ", got " + limit);
        }
        return job(name).history().newestFirst().stream()
                .filter(b -> before == null || b.batchTimeMs() < before)
                .limit(limit).map(BatchView::of).toList();
    }

    /** One batch in detail, with its stages. */
    @GET
    @Path("/{name}/batches/{time}")
    public BatchDetail batch(@PathParam("name") String name, @PathParam("time") long time) {
        JobRunner job = job(name);
        return job.history().find(time).map(BatchDetail::of).orElseThrow(() -> ProblemException.notFound("job " + name
                + " has no batch at " + time + " (batch times are zero time + k × " + job.graph().batchIntervalMs()
                + " ms; only the last " + job.history().newestFirst().size() + " are kept)"));
    }

    private JobRunner job(String name) {
        return runtime.jobs().find(name).orElseThrow(() -> ProblemException.notFound("no job named '" + name
                + "'; running jobs: " + runtime.jobs().list().stream().map(JobRunner::name).toList()));
    }
}
