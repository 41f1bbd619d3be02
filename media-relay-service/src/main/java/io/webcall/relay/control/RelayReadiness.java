package io.webcall.relay.control;

import io.webcall.relay.ice.IceHarvesterHolder;
import io.webcall.relay.session.SessionRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready when the shared WebRTC UDP port is bound; reports the port and the number of sessions. */
@Readiness
@ApplicationScoped
public class RelayReadiness implements HealthCheck {

    private final IceHarvesterHolder ice;
    private final SessionRegistry sessions;

    public RelayReadiness(IceHarvesterHolder ice, SessionRegistry sessions) {
        this.ice = ice;
        this.sessions = sessions;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("media-relay").status(ice.port() > 0)
                .withData("webrtcPort", ice.port()).withData("sessions", sessions.sessions().size()).build();
    }
}
