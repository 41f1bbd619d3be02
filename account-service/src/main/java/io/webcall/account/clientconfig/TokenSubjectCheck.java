package io.webcall.account.clientconfig;

import io.webcall.account.error.ApiException;
import io.webcall.account.tenant.Tenant;
import io.webcall.account.tenant.TenantStatus;
import io.webcall.account.token.AccessTokenClaims;
import io.webcall.account.user.SipUser;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

/**
 * A valid token's subject must still be usable before it gets TURN credentials: the tenant exists
 * (with the same domain) and is active, the user exists and is enabled.
 */
@ApplicationScoped
public class TokenSubjectCheck {

    @Transactional
    public void requireUsable(AccessTokenClaims claims) {
        Tenant tenant = Tenant.<Tenant>findByIdOptional(claims.tenantId())
                .filter(t -> t.domain.equals(claims.domain()))
                .orElseThrow(() -> ApiException.unauthorized("the token's tenant no longer exists"));
        if (TenantStatus.SUSPENDED.wire().equals(tenant.status)) {
            throw ApiException.forbidden("the tenant is suspended");
        }
        SipUser user = SipUser.findByUsername(tenant.id, claims.username())
                .orElseThrow(() -> ApiException.unauthorized("the token's user no longer exists"));
        if (!user.enabled) {
            throw ApiException.forbidden("the user is disabled");
        }
    }
}
