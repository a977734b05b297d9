package dev.sluice.receiver.health;

import dev.sluice.receiver.ReceiverLifecycle;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready once the receiver is attached to the coordinator: only then can it be given sources. */
@Readiness
@ApplicationScoped
public class CoordinatorAttachedCheck implements HealthCheck {

    private final ReceiverLifecycle receiver;

    /** Checks {@code receiver}. */
    @Inject
    public CoordinatorAttachedCheck(ReceiverLifecycle receiver) {
        this.receiver = receiver;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("coordinator")
                .status(receiver.attached())
                .withData("receiver", String.valueOf(receiver.receiverId()))
                .withData("address", String.valueOf(receiver.address()))
                .withData("streams", receiver.runningStreams())
                .build();
    }
}
