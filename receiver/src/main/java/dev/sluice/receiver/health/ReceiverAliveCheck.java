package dev.sluice.receiver.health;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;

/**
 * Live while the application answers: losing the coordinator is a readiness matter, and
 * restarting the receiver would not bring the coordinator back.
 */
@Liveness
@ApplicationScoped
public class ReceiverAliveCheck implements HealthCheck {

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.up("receiver");
    }
}
