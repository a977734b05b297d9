package dev.sluice.worker.app;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready once the coordinator has accepted this worker's registration. */
@Readiness
@ApplicationScoped
public class RegisteredCheck implements HealthCheck {

    @Inject
    WorkerRuntime runtime;

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("coordinator-registration").status(runtime.registered())
                .withData("address", runtime.address())
                .withData("shuffleOutputs", runtime.shuffleOutputs())
                .withData("keptPartitions", runtime.keptPartitions()).build();
    }
}
