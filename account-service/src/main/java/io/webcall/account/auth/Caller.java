package io.webcall.account.auth;

import io.webcall.account.error.ApiException;

import java.util.UUID;

/**
 * Who sent the request: the operator (admin API key), one tenant (that tenant's API key), or one
 * user of a tenant (that user's access token, accepted only where a resource allows it).
 *
 * @param admin    true for the operator
 * @param tenantId the tenant of the API key or access token, null for the operator
 * @param apiKeyId the API key used, null for the operator and for users
 * @param username the access token's user, null for API keys
 * @param aor      the access token's address of record, null for API keys
 */
public record Caller(boolean admin, UUID tenantId, UUID apiKeyId, String username, String aor) {

    public static Caller operator() {
        return new Caller(true, null, null, null, null);
    }

    public static Caller tenant(UUID tenantId, UUID apiKeyId) {
        return new Caller(false, tenantId, apiKeyId, null, null);
    }

    public static Caller user(UUID tenantId, String username, String aor) {
        return new Caller(false, tenantId, null, username, aor);
    }

    /** True when an end user's access token (not an API key) authenticated the request. */
    public boolean user() {
        return username != null;
    }

    /** Operator-only operations: a tenant key gets 403. */
    public void requireAdmin() {
        if (!admin) {
            throw ApiException.forbidden("this operation needs the operator (admin) API key");
        }
    }

    /**
     * Access to one tenant's resources: the operator, or that tenant's own key. Another tenant's
     * key gets the same 404 as a tenant that does not exist, so nothing leaks about other tenants.
     */
    public void requireTenant(UUID id) {
        if (user()) {
            throw ApiException.forbidden("this operation needs an API key, not a user access token");
        }
        if (!admin && !tenantId.equals(id)) {
            throw ApiException.notFound("tenant " + id + " not found");
        }
    }

    /** Operations that act as a tenant (issuing access tokens): a tenant API key is needed. */
    public UUID requireTenantKey() {
        if (admin) {
            throw ApiException.forbidden("this operation needs a tenant API key, not the operator key");
        }
        if (user()) {
            throw ApiException.forbidden("this operation needs a tenant API key, not a user access token");
        }
        return tenantId;
    }
}
