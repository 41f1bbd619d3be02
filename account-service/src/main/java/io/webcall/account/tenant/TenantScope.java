package io.webcall.account.tenant;

import io.webcall.account.auth.CallerHolder;
import io.webcall.account.validation.Fields;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.UUID;

/**
 * The tenant named by a {@code {tenantId}} path parameter, for resources below
 * {@code /v1/tenants/{tenantId}}: 400 naming the field for a malformed id, 404 for a tenant that
 * does not exist and, alike, for another tenant than the caller's key (nothing leaks about other
 * tenants), 403 for a user access token.
 */
@ApplicationScoped
public class TenantScope {

    private final TenantService tenants;
    private final CallerHolder caller;

    public TenantScope(TenantService tenants, CallerHolder caller) {
        this.tenants = tenants;
        this.caller = caller;
    }

    /** The tenant the current caller may act on. */
    public Tenant require(String tenantIdParameter) {
        UUID id = Fields.uuid("tenantId", tenantIdParameter);
        caller.get().requireTenant(id);
        return tenants.get(id);
    }
}
