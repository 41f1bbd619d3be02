package io.webcall.account.auth;

import io.webcall.account.error.ApiException;

import java.util.UUID;

/**
 * Who sent the request: the operator (admin API key) or one tenant (that tenant's API key).
 *
 * @param admin    true for the operator
 * @param tenantId the tenant of the API key, null for the operator
 * @param apiKeyId the API key used, null for the operator
 */
public record Caller(boolean admin, UUID tenantId, UUID apiKeyId) {

    public static Caller operator() {
        return new Caller(true, null, null);
    }

    public static Caller tenant(UUID tenantId, UUID apiKeyId) {
        return new Caller(false, tenantId, apiKeyId);
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
        if (!admin && !tenantId.equals(id)) {
            throw ApiException.notFound("tenant " + id + " not found");
        }
    }

    /** Operations that act as a tenant (issuing access tokens): a tenant API key is needed. */
    public UUID requireTenantKey() {
        if (admin) {
            throw ApiException.forbidden("this operation needs a tenant API key, not the operator key");
        }
        return tenantId;
    }
}
