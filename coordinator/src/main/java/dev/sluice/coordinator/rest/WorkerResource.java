package dev.sluice.coordinator.rest;

import dev.sluice.coordinator.app.CoordinatorRuntime;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import java.util.List;

/** The registered stage-workers. */
@Path("/api/workers")
@Produces(MediaType.APPLICATION_JSON)
public class WorkerResource {

    @Inject
    CoordinatorRuntime runtime;

    /** Every live worker, by id. */
    @GET
    public List<WorkerView> list() {
        long now = System.currentTimeMillis();
        return runtime.workers().byId().stream().map(w -> WorkerView.of(w, now)).toList();
    }
}
