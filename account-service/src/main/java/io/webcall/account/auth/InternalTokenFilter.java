package io.webcall.account.auth;

import io.webcall.account.config.AccountConfig;
import io.webcall.account.crypto.Hashes;
import io.webcall.account.error.ErrorResponses;
import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.ext.Provider;
import org.jboss.logging.Logger;

import java.util.Optional;

/**
 * Authenticates {@link InternalAuth} resources with the shared {@code webcall.internal.token}.
 * The SHA-256 of the presented token is compared in constant time with the configured one's.
 */
@Provider
@InternalAuth
@Priority(Priorities.AUTHENTICATION)
public class InternalTokenFilter implements ContainerRequestFilter {

    private static final Logger LOG = Logger.getLogger(InternalTokenFilter.class);

    private final String expectedHash;

    public InternalTokenFilter(AccountConfig config) {
        this.expectedHash = config.internal().token().filter(t -> !t.isBlank()).map(Hashes::sha256Hex).orElse(null);
        if (expectedHash == null) {
            LOG.warn("webcall.internal.token is not set: the internal endpoints refuse every request");
        }
    }

    @Override
    public void filter(ContainerRequestContext request) {
        Optional<String> token = Bearer.token(request.getHeaderString(HttpHeaders.AUTHORIZATION));
        if (token.isEmpty()) {
            request.abortWith(ErrorResponses.of(401, "unauthorized",
                    "the internal token is required: Authorization: Bearer <token>", null));
            return;
        }
        if (expectedHash == null || !Hashes.constantTimeEquals(Hashes.sha256Hex(token.get()), expectedHash)) {
            request.abortWith(ErrorResponses.of(401, "unauthorized", "invalid internal token", null));
        }
    }
}
