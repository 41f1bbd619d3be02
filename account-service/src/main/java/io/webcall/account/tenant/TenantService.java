package io.webcall.account.tenant;

import io.webcall.account.auth.VerifiedApiKeys;
import io.webcall.account.crypto.SecretCipher;
import io.webcall.account.error.ApiException;
import io.webcall.account.user.SipUser;
import io.webcall.account.validation.Fields;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Creates, changes and removes tenants. Input is validated here; every failure names its field. */
@ApplicationScoped
public class TenantService {

    private static final Logger LOG = Logger.getLogger(TenantService.class);

    static final int NAME_MAX = 200;
    static final int PBX_USERNAME_MAX = 128;
    static final int PBX_PASSWORD_MAX = 128;

    private final SecretCipher cipher;
    private final VerifiedApiKeys verifiedKeys;

    public TenantService(SecretCipher cipher, VerifiedApiKeys verifiedKeys) {
        this.cipher = cipher;
        this.verifiedKeys = verifiedKeys;
    }

    @Transactional
    public Tenant create(TenantCreateRequest body) {
        if (body == null) {
            throw ApiException.invalid(null, "a JSON body is required");
        }
        Tenant tenant = new Tenant();
        tenant.id = UUID.randomUUID();
        tenant.name = Fields.text("name", body.name(), NAME_MAX);
        tenant.domain = Fields.sipDomain("domain", body.domain());
        tenant.status = body.status() == null ? TenantStatus.ACTIVE.wire() : Fields.oneOf("status", body.status(), "active", "suspended");
        applyPbx(tenant, body.pbx());
        requireFreeDomain(tenant.domain, null);
        tenant.createdAt = Instant.now();
        tenant.updatedAt = tenant.createdAt;
        tenant.persistAndFlush();
        LOG.infof("tenant %s created for domain %s", tenant.id, tenant.domain);
        return tenant;
    }

    @Transactional
    public Tenant get(UUID id) {
        return Tenant.<Tenant>findByIdOptional(id).orElseThrow(() -> ApiException.notFound("tenant " + id + " not found"));
    }

    @Transactional
    public List<Tenant> list(String domain, int limit, int offset) {
        if (domain != null) {
            return Tenant.findByDomain(domain).stream().toList();
        }
        return Tenant.<Tenant>find("order by createdAt, id").range(offset, offset + limit - 1).list();
    }

    @Transactional
    public Tenant patch(UUID id, TenantPatchRequest body) {
        if (body == null) {
            throw ApiException.invalid(null, "a JSON body is required");
        }
        Tenant tenant = get(id);
        if (body.nameSet()) {
            tenant.name = Fields.text("name", body.getName(), NAME_MAX);
        }
        if (body.statusSet()) {
            tenant.status = Fields.oneOf("status", body.getStatus(), "active", "suspended");
        }
        if (body.domainSet()) {
            String domain = Fields.sipDomain("domain", body.getDomain());
            if (!domain.equals(tenant.domain)) {
                long users = SipUser.count("tenantId", tenant.id);
                if (users > 0) {
                    throw ApiException.conflict("domain", "the domain cannot change while the tenant has users ("
                            + users + "): their stored digest credentials (HA1) are bound to the domain as realm; "
                            + "delete the users, change the domain, then create them again with their passwords");
                }
                requireFreeDomain(domain, tenant.id);
                tenant.domain = domain;
            }
        }
        if (body.pbxSet()) {
            applyPbx(tenant, body.getPbx());
        }
        tenant.updatedAt = Instant.now();
        tenant.persistAndFlush();
        return tenant;
    }

    @Transactional
    public void delete(UUID id) {
        Tenant tenant = get(id);
        tenant.delete();
        verifiedKeys.forgetTenant(id);
        LOG.infof("tenant %s (%s) deleted", tenant.id, tenant.domain);
    }

    /** The trunk password in clear, for the edge (internal API only). */
    public Optional<String> pbxPassword(Tenant tenant) {
        if (tenant.pbxPasswordEnc == null) {
            return Optional.empty();
        }
        return Optional.of(cipher.decryptToString(tenant.pbxPasswordEnc, tenant.pbxPasswordContext()));
    }

    private void applyPbx(Tenant tenant, PbxTrunkRequest pbx) {
        if (pbx == null) {
            tenant.pbxUri = null;
            tenant.pbxTransport = null;
            tenant.pbxHost = null;
            tenant.pbxPort = null;
            tenant.pbxUsername = null;
            tenant.pbxPasswordEnc = null;
            return;
        }
        String transport = pbx.transport() == null ? "udp" : Fields.oneOf("pbx.transport", pbx.transport(), "udp", "tcp", "tls");
        PbxAddress address = PbxAddress.parse("pbx.uri", pbx.uri(), transport);
        String username = pbx.username() == null || pbx.username().isEmpty() ? null
                : Fields.optionalText("pbx.username", pbx.username(), PBX_USERNAME_MAX);
        String password = pbx.password() == null ? null : Fields.secret("pbx.password", pbx.password(), 1, PBX_PASSWORD_MAX);
        if (password != null && username == null) {
            throw ApiException.invalid("pbx.username", "pbx.username is required when pbx.password is given");
        }
        tenant.pbxUri = address.uri();
        tenant.pbxTransport = transport;
        tenant.pbxHost = address.host();
        tenant.pbxPort = address.port();
        tenant.pbxUsername = username;
        tenant.pbxPasswordEnc = password == null ? null : cipher.encrypt(password, tenant.pbxPasswordContext());
    }

    private void requireFreeDomain(String domain, UUID self) {
        Optional<Tenant> existing = Tenant.findByDomain(domain);
        if (existing.isPresent() && !existing.get().id.equals(self)) {
            throw ApiException.conflict("domain", "domain " + domain + " is already used by another tenant");
        }
    }
}
