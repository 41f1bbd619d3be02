package io.webcall.account.call.consumer;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;

/** Live while the call-record consumer runs (or is not meant to run here). */
@Liveness
@ApplicationScoped
public class CallConsumerHealth implements HealthCheck {

    private final CallEventConsumer consumer;

    public CallConsumerHealth(CallEventConsumer consumer) {
        this.consumer = consumer;
    }

    @Override
    public HealthCheckResponse call() {
        boolean ok = !consumer.isExpectedToRun() || consumer.isRunning();
        return HealthCheckResponse.named("call-record-consumer").status(ok)
                .withData("running", consumer.isRunning())
                .withData("storedMessages", consumer.storedMessages())
                .build();
    }
}
