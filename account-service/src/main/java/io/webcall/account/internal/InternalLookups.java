package io.webcall.account.internal;

import io.webcall.account.error.ApiException;
import io.webcall.account.tenant.PbxHostResolver;
import io.webcall.account.tenant.Tenant;
import io.webcall.account.tenant.TenantService;
import io.webcall.account.user.SipUser;
import jakarta.enterprise.context.ApplicationScoped;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.transaction.Transactional;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/** Read-only lookups the signaling edge needs. */
@ApplicationScoped
public class InternalLookups {

    private final TenantService tenants;
    private final PbxHostResolver resolver;

    public InternalLookups(TenantService tenants, PbxHostResolver resolver) {
        this.tenants = tenants;
        this.resolver = resolver;
    }

    @Transactional
    public InternalTenantResponse byDomain(String domain) {
        return view(Tenant.findByDomain(domain).orElseThrow(() -> ApiException.notFound("no tenant for domain " + domain)));
    }

    /**
     * Tenants whose trunk is at {@code host} (and {@code port}, unless null): trunks given by that very host
     * (name or address), and, when {@code host} is an IP address, trunks given by a host name that resolves to
     * it. Names are resolved outside the database transaction.
     */
    public List<InternalTenantResponse> byPbxAddress(String host, Integer port) {
        InetAddress address = PbxHostResolver.literal(host);
        List<List<Tenant>> candidates = QuarkusTransaction.requiringNew().call(() -> List.of(
                Tenant.findByPbxAddress(host, port),
                address == null ? List.of() : Tenant.findByPbxHostName(port)));
        Map<UUID, Tenant> found = new LinkedHashMap<>();
        candidates.get(0).forEach(t -> found.put(t.id, t));
        if (!candidates.get(1).isEmpty()) {
            Set<String> matching = resolver.resolvingTo(candidates.get(1).stream().map(t -> t.pbxHost).toList(), address);
            candidates.get(1).stream().filter(t -> matching.contains(t.pbxHost)).forEach(t -> found.putIfAbsent(t.id, t));
        }
        List<Tenant> ordered = new ArrayList<>(found.values());
        ordered.sort(Comparator.comparing((Tenant t) -> t.createdAt).thenComparing(t -> t.id));
        return ordered.stream().map(this::view).toList();
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
