package io.webcall.account.tenant;

import io.webcall.account.auth.Caller;
import io.webcall.account.auth.CallerHolder;
import io.webcall.account.validation.Fields;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.UUID;

/**
 * The tenant a request acts on, decided in one place for every tenant resource.
 * <ul>
 * <li>{@link #require}: the tenant named by a {@code {tenantId}} path parameter, for resources below
 * {@code /v1/tenants/{tenantId}}: 400 naming the field for a malformed id, 404 for a tenant that
 * does not exist and, alike, for another tenant than the caller's key (nothing leaks about other
 * tenants), 403 for a user access token.</li>
 * <li>{@link #ownTenant} and {@link #readerTenant}: the caller's own tenant, for resources that name
 * no tenant ({@code /v1/calls}, {@code /v1/webhooks}) and so can never reach another tenant's data:
 * 403 for the operator key, which belongs to no tenant.</li>
 * </ul>
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

    /** The tenant of the caller's API key; the operator key and user access tokens get 403. */
    public UUID ownTenant() {
        return caller.get().requireTenantKey();
    }

    /**
     * The tenant of the caller's API key or user access token (a token reads as its user within
     * that tenant: the resource narrows further); the operator key gets 403.
     */
    public UUID readerTenant() {
        Caller who = caller.get();
        return who.user() ? who.tenantId() : who.requireTenantKey();
    }
}
