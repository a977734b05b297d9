package dev.sluice.coordinator.app;

import dev.sluice.coordinator.job.JobRunner;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/** Ready once started; reports the jobs and how many workers are alive. */
@Readiness
@ApplicationScoped
public class JobsReadyCheck implements HealthCheck {

    @Inject
    CoordinatorRuntime runtime;

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder b = HealthCheckResponse.named("coordinator").status(runtime.jobs() != null);
        if (runtime.jobs() != null) {
            b.withData("workers", runtime.workers().alive().size());
            for (JobRunner job : runtime.jobs().list()) {
                b.withData("job." + job.name(), job.state().name());
            }
        }
        return b.build();
    }
}
