package dev.sluice.coordinator.scaling;

/**
 * Reads and sets the replicas of a worker pool's Deployment. Implementations throw
 * {@link ScalingForbiddenException} when they may not, {@link UnknownDeploymentException} when
 * the Deployment does not exist, and {@link ScalingException} for any other failure.
 */
public interface PoolScaler {

    /** The replicas the pool's Deployment asks for now ({@code spec.replicas}). */
    int replicas(WorkerPool pool);

    /**
     * Sets the replicas of the pool's Deployment. Does not check the pool's bounds: callers
     * decide what is allowed.
     *
     * @return the replicas the Deployment asks for afterwards
     */
    int scale(WorkerPool pool, int replicas);
}
