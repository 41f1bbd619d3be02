package io.webcall.account.user;

import io.webcall.account.error.ApiException;
import io.webcall.account.tenant.Tenant;
import io.webcall.account.validation.Fields;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** Creates, changes and removes the SIP users of a tenant. */
@ApplicationScoped
public class UserService {

    static final int DISPLAY_NAME_MAX = 128;
    static final int PASSWORD_MIN = 4;
    static final int PASSWORD_MAX = 128;

    /** User parts the platform answers itself ({@code sip:echo@<domain>} is the echo test). */
    private static final List<String> RESERVED = List.of("echo");

    @Transactional
    public SipUser create(Tenant tenant, UserCreateRequest body) {
        if (body == null) {
            throw ApiException.invalid(null, "a JSON body is required");
        }
        SipUser user = new SipUser();
        user.id = UUID.randomUUID();
        user.tenantId = tenant.id;
        user.username = Fields.sipUser("username", body.username());
        if (RESERVED.contains(user.username.toLowerCase(java.util.Locale.ROOT))) {
            throw ApiException.invalid("username", "username '" + user.username + "' is reserved by the platform");
        }
        user.displayName = Fields.optionalText("displayName", body.displayName(), DISPLAY_NAME_MAX);
        String password = Fields.secret("password", body.password(), PASSWORD_MIN, PASSWORD_MAX);
        user.enabled = body.enabled() == null || body.enabled();
        if (SipUser.findByUsername(tenant.id, user.username).isPresent()) {
            throw ApiException.conflict("username", "user " + user.username + " already exists in this tenant");
        }
        user.setPassword(tenant.domain, password);
        user.createdAt = Instant.now();
        user.updatedAt = user.createdAt;
        user.persistAndFlush();
        return user;
    }

    @Transactional
    public SipUser get(Tenant tenant, String username) {
        return SipUser.findByUsername(tenant.id, username)
                .orElseThrow(() -> ApiException.notFound("user " + username + " not found"));
    }

    @Transactional
    public List<SipUser> list(Tenant tenant, int offset, int limit) {
        return SipUser.listForTenant(tenant.id, offset, limit);
    }

    @Transactional
    public SipUser patch(Tenant tenant, String username, UserPatchRequest body) {
        if (body == null) {
            throw ApiException.invalid(null, "a JSON body is required");
        }
        SipUser user = get(tenant, username);
        if (body.displayName() != null) {
            user.displayName = Fields.optionalText("displayName", body.displayName(), DISPLAY_NAME_MAX);
        }
        if (body.password() != null) {
            user.setPassword(tenant.domain, Fields.secret("password", body.password(), PASSWORD_MIN, PASSWORD_MAX));
        }
        if (body.enabled() != null) {
            user.enabled = body.enabled();
        }
        user.updatedAt = Instant.now();
        user.persistAndFlush();
        return user;
    }

    @Transactional
    public void delete(Tenant tenant, String username) {
        get(tenant, username).delete();
    }
}
