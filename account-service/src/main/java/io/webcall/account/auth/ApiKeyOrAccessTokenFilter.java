package io.webcall.account.auth;

import io.webcall.account.clientconfig.TokenSubjectCheck;
import io.webcall.account.error.ApiException;
import io.webcall.account.error.ErrorResponses;
import io.webcall.account.token.AccessTokenClaims;
import io.webcall.account.token.AccessTokens;
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

/**
 * Authenticates {@link ApiKeyOrAccessTokenAuth} resources. A bearer credential shaped like a JWT
 * (three base64url parts, RFC 7519 section 3) is verified as a user access token, exactly as for
 * the client config: signature, issuer, expiry, and its tenant and user still usable. Anything
 * else is looked up as an API key. Failures get 401 (403 for a disabled user or suspended tenant).
 */
@Provider
@ApiKeyOrAccessTokenAuth
@Priority(Priorities.AUTHENTICATION)
public class ApiKeyOrAccessTokenFilter implements ContainerRequestFilter, ContainerResponseFilter {

    @Inject
    ApiKeyAuthenticator apiKeys;

    @Inject
    AccessTokens tokens;

    @Inject
    TokenSubjectCheck subjects;

    @Inject
    CallerHolder holder;

    @Override
    public void filter(ContainerRequestContext request) {
        Optional<String> credential = Bearer.token(request.getHeaderString(HttpHeaders.AUTHORIZATION));
        if (credential.isEmpty()) {
            request.abortWith(ErrorResponses.of(401, "unauthorized",
                    "an API key or access token is required: Authorization: Bearer <key or token>", null));
            return;
        }
        Caller caller;
        if (looksLikeJwt(credential.get())) {
            Optional<AccessTokenClaims> claims = tokens.verify(credential.get());
            if (claims.isEmpty()) {
                request.abortWith(ErrorResponses.of(401, "unauthorized", "invalid or expired access token", null));
                return;
            }
            try {
                subjects.requireUsable(claims.get());
            } catch (ApiException e) {
                request.abortWith(ErrorResponses.of(e));
                return;
            }
            caller = Caller.user(claims.get().tenantId(), claims.get().username(), claims.get().aor());
        } else {
            Optional<Caller> byKey = apiKeys.authenticate(credential.get());
            if (byKey.isEmpty()) {
                request.abortWith(ErrorResponses.of(401, "unauthorized", "unknown or revoked API key", null));
                return;
            }
            caller = byKey.get();
        }
        holder.set(caller);
        MDC.put("tenantId", caller.admin() ? "operator" : caller.tenantId().toString());
    }

    @Override
    public void filter(ContainerRequestContext request, ContainerResponseContext response) {
        MDC.remove("tenantId");
    }

    /** Compact JWS serialization (RFC 7515 section 7.1): header.payload.signature, base64url only. */
    static boolean looksLikeJwt(String credential) {
        String[] parts = credential.split("\\.", -1);
        if (parts.length != 3) {
            return false;
        }
        for (String part : parts) {
            if (part.isEmpty() || !part.chars().allMatch(ApiKeyOrAccessTokenFilter::base64Url)) {
                return false;
            }
        }
        return true;
    }

    private static boolean base64Url(int c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
    }
}
