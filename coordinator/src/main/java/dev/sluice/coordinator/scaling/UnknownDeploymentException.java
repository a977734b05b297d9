package dev.sluice.coordinator.scaling;

/** A pool's Deployment does not exist in the namespace the coordinator scales in. */
public class UnknownDeploymentException extends ScalingException {

    public UnknownDeploymentException(WorkerPool pool, String namespace) {
        super("worker pool '" + pool.name() + "': there is no Deployment '" + pool.deployment() + "' in namespace '"
                + namespace + "'; check sluice.autoscale.pools." + pool.name() + ".deployment and sluice.autoscale.namespace"
                + " (kubectl -n " + namespace + " get deployments)");
    }
}
