package io.webcall.account.auth;

import io.webcall.account.error.ErrorResponses;
import jakarta.annotation.Priority;
import jakarta.inject.Inject;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.ext.Provider;

import java.util.Optional;

/** Authenticates {@link InternalAuth} resources with the shared internal token; otherwise 401. */
@Provider
@InternalAuth
@Priority(Priorities.AUTHENTICATION)
public class InternalTokenFilter implements ContainerRequestFilter {

    @Inject
    InternalTokenVerifier verifier;

    @Override
    public void filter(ContainerRequestContext request) {
        Optional<String> token = Bearer.token(request.getHeaderString(HttpHeaders.AUTHORIZATION));
        if (token.isEmpty()) {
            request.abortWith(ErrorResponses.of(401, "unauthorized",
                    "the internal token is required: Authorization: Bearer <token>", null));
            return;
        }
        if (!verifier.matches(token.get())) {
            request.abortWith(ErrorResponses.of(401, "unauthorized", "invalid internal token", null));
        }
    }
}
