package dev.sluice.coordinator.rest;

import dev.sluice.coordinator.app.CoordinatorRuntime;
import dev.sluice.coordinator.job.JobRunner;
import jakarta.inject.Inject;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

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

    /** The job's recent batches, newest first. */
    @GET
    @Path("/{name}/batches")
    public List<BatchView> batches(@PathParam("name") String name, @QueryParam("limit") @DefaultValue("100") int limit) {
        if (limit <= 0 || limit > MAX_LIMIT) {
            throw ProblemException.badRequest("limit must be in 1.." + MAX_LIMIT + ", got " + limit);
        }
        return job(name).history().newestFirst().stream().limit(limit).map(BatchView::of).toList();
    }

    private JobRunner job(String name) {
        return runtime.jobs().find(name).orElseThrow(() -> ProblemException.notFound("no job named '" + name
                + "'; running jobs: " + runtime.jobs().list().stream().map(JobRunner::name).toList()));
    }
}
