package io.webcall.account.auth;

import io.webcall.account.error.ErrorResponses;
import jakarta.annotation.Priority;
import jakarta.inject.Inject;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.ext.Provider;
import org.jboss.logging.MDC;

import java.util.Optional;

/** Authenticates {@link ApiKeyAuth} resources: a missing or unknown API key gets 401. */
@Provider
@ApiKeyAuth
@Priority(Priorities.AUTHENTICATION)
public class ApiKeyFilter implements ContainerRequestFilter, ContainerResponseFilter {

    @Inject
    ApiKeyAuthenticator authenticator;

    @Inject
    CallerHolder holder;

    @Override
    public void filter(ContainerRequestContext request) {
        Optional<String> key = Bearer.token(request.getHeaderString(HttpHeaders.AUTHORIZATION));
        if (key.isEmpty()) {
            request.abortWith(ErrorResponses.of(401, "unauthorized",
                    "an API key is required: Authorization: Bearer <key>", null));
            return;
        }
        Optional<Caller> caller = authenticator.authenticate(key.get());
        if (caller.isEmpty()) {
            request.abortWith(ErrorResponses.of(401, "unauthorized", "unknown or revoked API key", null));
            return;
        }
        holder.set(caller.get());
        // structured logs of this request carry the tenant (JSON logging puts MDC entries in each line)
        MDC.put("tenantId", caller.get().admin() ? "operator" : caller.get().tenantId().toString());
    }

    @Override
    public void filter(ContainerRequestContext request, ContainerResponseContext response) {
        MDC.remove("tenantId");
    }
}
