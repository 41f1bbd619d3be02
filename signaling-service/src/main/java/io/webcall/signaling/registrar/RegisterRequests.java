package io.webcall.signaling.registrar;

import io.webcall.signaling.auth.Authenticator;
import io.webcall.signaling.transaction.ServerTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * A received REGISTER (RFC 3261 section 10.3): authenticated first (step 3; a challenge or a refusal goes back as the
 * authenticator built it), then answered with the {@link Registrar}'s response.
 */
@ApplicationScoped
public class RegisterRequests {

    @Inject
    Authenticator auth;
    @Inject
    Registrar registrar;

    public void register(ServerTransaction st) {
        auth.authenticated(st, true, id -> st.respond(registrar.register(st.request(), st.flow(), id)));
    }
}
