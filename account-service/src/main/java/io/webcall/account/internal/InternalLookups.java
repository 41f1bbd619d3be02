package io.webcall.account.internal;

import io.webcall.account.error.ApiException;
import io.webcall.account.tenant.Tenant;
import io.webcall.account.tenant.TenantService;
import io.webcall.account.user.SipUser;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.util.List;

/** Read-only lookups the signaling edge needs. */
@ApplicationScoped
public class InternalLookups {

    private final TenantService tenants;

    public InternalLookups(TenantService tenants) {
        this.tenants = tenants;
    }

    @Transactional
    public InternalTenantResponse byDomain(String domain) {
        return view(Tenant.findByDomain(domain).orElseThrow(() -> ApiException.notFound("no tenant for domain " + domain)));
    }

    @Transactional
    public List<InternalTenantResponse> byPbxAddress(String host, Integer port) {
        return Tenant.findByPbxAddress(host, port).stream().map(this::view).toList();
    }

    @Transactional
    public InternalCredentialsResponse credentials(String domain, String username) {
        Tenant tenant = Tenant.findByDomain(domain).orElseThrow(() -> ApiException.notFound("no tenant for domain " + domain));
        SipUser user = SipUser.findByUsername(tenant.id, username)
                .orElseThrow(() -> ApiException.notFound("no user " + username + " in " + domain));
        return new InternalCredentialsResponse(tenant.id, tenant.domain, user.username, user.displayName, user.enabled,
                user.ha1Md5, user.ha1Sha256, tenant.domain);
    }

    private InternalTenantResponse view(Tenant t) {
        InternalTenantResponse.Pbx pbx = t.hasPbx()
                ? new InternalTenantResponse.Pbx(t.pbxUri, t.pbxTransport, t.pbxUsername, tenants.pbxPassword(t).orElse(null))
                : null;
        return new InternalTenantResponse(t.id, t.name, t.domain, t.status, pbx);
    }
}
