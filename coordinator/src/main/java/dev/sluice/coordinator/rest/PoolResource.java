package dev.sluice.coordinator.rest;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.coordinator.app.CoordinatorRuntime;
import dev.sluice.coordinator.cluster.Worker;
import dev.sluice.coordinator.scaling.PoolScaler;
import dev.sluice.coordinator.scaling.ScalingException;
import dev.sluice.coordinator.scaling.ScalingForbiddenException;
import dev.sluice.coordinator.scaling.UnknownDeploymentException;
import dev.sluice.coordinator.scaling.WorkerPool;
import dev.sluice.coordinator.scaling.WorkerPools;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/** Worker pools: what they are, and scaling one. */
@Path("/api/pools")
@Produces(MediaType.APPLICATION_JSON)
public class PoolResource {

    @Inject
    CoordinatorRuntime runtime;

    @Inject
    ObjectMapper json;

    /** The configured pools, then any other pool that has workers, each by name. */
    @GET
    public List<PoolView> list() {
        Map<String, Long> workers = workersByPool();
        List<PoolView> views = new ArrayList<>();
        for (WorkerPool pool : runtime.pools().all()) {
            views.add(view(pool, replicasIfKnown(pool), workers));
        }
        new TreeMap<>(workers).keySet().stream()
                .filter(name -> runtime.pools().find(name).isEmpty())
                .forEach(name -> views.add(new PoolView(name, null, null, null, null, null,
                        workers.get(name).intValue(), false)));
        return views;
    }

    /** Sets the replicas of a pool's Deployment, within the pool's bounds. */
    @PUT
    @Path("/{pool}/replicas")
    public PoolView scale(@PathParam("pool") String name, String body) {
        int replicas = ReplicasRequest.parse(body, json).replicas();
        PoolScaler scaler = runtime.scaler().orElseThrow(() -> new ProblemException(409, "Conflict",
                "scaling worker pool '" + name + "' needs Kubernetes: the coordinator sets the replicas of the pool's "
                        + "Deployment through the Kubernetes API, and it runs outside a cluster with no "
                        + "sluice.autoscale.namespace set. Locally, run the number of workers you want: "
                        + "./sluice stop && ./sluice start --workers N, or start another stage-worker process with "
                        + "sluice.coordinator.address pointing at this coordinator."));
        WorkerPool pool = runtime.pools().find(name).orElseThrow(() -> ProblemException.notFound(
                "no worker pool named '" + name + "' that the coordinator may scale; pools it may scale: "
                        + runtime.pools().names() + " (sluice.autoscale.pools.<pool>.deployment; the Helm chart "
                        + "lists the pools with autoscale.enabled)"));
        if (!pool.allows(replicas)) {
            throw new ProblemException(422, "Unprocessable Content", "replicas: " + replicas + " is outside worker pool '"
                    + name + "''s bounds [" + pool.min() + ", " + pool.max() + "] (sluice.autoscale.pools." + name
                    + ".min and .max)");
        }
        int now;
        try {
            now = scaler.scale(pool, replicas);
        } catch (ScalingForbiddenException e) {
            throw new ProblemException(403, "Forbidden", e.getMessage());
        } catch (UnknownDeploymentException e) {
            throw ProblemException.notFound(e.getMessage());
        } catch (ScalingException e) {
            throw new ProblemException(502, "Bad Gateway", e.getMessage());
        }
        runtime.autoscaler().ifPresent(a -> runtime.onScalingThread(() -> a.scaledByHand(name)));
        return view(pool, now, workersByPool());
    }

    private PoolView view(WorkerPool pool, Integer replicas, Map<String, Long> workers) {
        return new PoolView(pool.name(), pool.deployment(), pool.stages(), pool.min(), pool.max(), replicas,
                workers.getOrDefault(pool.name(), 0L).intValue(), runtime.autoscaler().isPresent());
    }

    private Integer replicasIfKnown(WorkerPool pool) {
        try {
            return runtime.scaler().map(s -> s.replicas(pool)).orElse(null);
        } catch (ScalingException e) {
            return null;
        }
    }

    private Map<String, Long> workersByPool() {
        return runtime.workers().alive().stream()
                .collect(Collectors.groupingBy(Worker::pool, Collectors.counting()));
    }
}
