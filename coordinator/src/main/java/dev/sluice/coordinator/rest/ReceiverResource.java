package dev.sluice.coordinator.rest;

import dev.sluice.coordinator.app.CoordinatorRuntime;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import java.util.List;
import java.util.Map;

/** The attached receivers with their sources and rates. */
@Path("/api/receivers")
@Produces(MediaType.APPLICATION_JSON)
public class ReceiverResource {

    @Inject
    CoordinatorRuntime runtime;

    @GET
    public List<ReceiverView> list() {
        Map<String, Double> rates = runtime.feedback().rates();
        return runtime.receivers().list().stream().map(r -> ReceiverView.of(r, rates)).toList();
    }
}
