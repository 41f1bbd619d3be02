package io.webcall.signaling.registrar;

import io.webcall.signaling.auth.Authenticator;
import io.webcall.signaling.logging.CallMdc;
import io.webcall.signaling.sip.SipMessage;
import io.webcall.signaling.transaction.ServerTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

/**
 * A received REGISTER (RFC 3261 section 10.3): authenticated first (step 3; a challenge or a refusal goes back as the
 * authenticator built it), then answered with the {@link Registrar}'s response.
 */
@ApplicationScoped
public class RegisterRequests {

    private static final Logger LOG = Logger.getLogger(RegisterRequests.class);

    @Inject
    Authenticator auth;
    @Inject
    Registrar registrar;

    public void register(ServerTransaction st) {
        SipMessage req = st.request();
        auth.authenticate(req, st.flow(), true).onComplete(CallMdc.wrap(ar -> {
            if (ar.failed()) {
                LOG.warnf("Authentication backend failed: %s", ar.cause().getMessage());
                st.respond(503, "Account Service Unavailable");
                return;
            }
            if (!ar.result().ok()) {
                st.respond(ar.result().response());
                return;
            }
            st.respond(registrar.register(req, st.flow(), ar.result().identity()));
        }));
    }
}
