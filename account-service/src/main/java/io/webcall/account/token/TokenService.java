package io.webcall.account.token;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.webcall.account.config.AccountConfig;
import io.webcall.account.error.ApiException;
import io.webcall.account.tenant.Tenant;
import io.webcall.account.tenant.TenantStatus;
import io.webcall.account.user.SipUser;
import io.webcall.account.validation.Fields;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** Issues access tokens for a tenant's users. */
@ApplicationScoped
public class TokenService {

    public static final List<String> GRANTS = List.of("outgoing", "incoming");

    private final AccessTokens tokens;
    private final AccountConfig.Tokens config;
    private final Counter issued;

    public TokenService(AccessTokens tokens, AccountConfig config, MeterRegistry registry) {
        this.tokens = tokens;
        this.config = config.tokens();
        this.issued = Counter.builder("webcall.account.tokens.issued").description("access tokens issued").register(registry);
    }

    public TokenResponse issue(UUID tenantId, TokenRequest body) {
        if (body == null) {
            throw ApiException.invalid(null, "a JSON body is required");
        }
        String username = Fields.sipUser("username", body.username());
        long ttl = ttlSeconds(body.ttlSeconds());
        List<String> grants = grants(body.grants());
        Subject subject = subject(tenantId, username);
        Instant now = Instant.now();
        Instant expiresAt = now.plusSeconds(ttl);
        String aor = "sip:" + username + "@" + subject.domain();
        String token = tokens.sign(new AccessTokenClaims(username, tenantId, subject.domain(), aor, grants, now, expiresAt,
                UUID.randomUUID().toString()));
        issued.increment();
        return new TokenResponse(token, expiresAt, aor);
    }

    private record Subject(String domain) {
    }

    @Transactional
    Subject subject(UUID tenantId, String username) {
        Tenant tenant = Tenant.<Tenant>findByIdOptional(tenantId)
                .orElseThrow(() -> ApiException.notFound("tenant " + tenantId + " not found"));
        if (TenantStatus.SUSPENDED.wire().equals(tenant.status)) {
            throw ApiException.conflict(null, "the tenant is suspended");
        }
        SipUser user = SipUser.findByUsername(tenantId, username)
                .orElseThrow(() -> new ApiException(404, "not_found", "user " + username + " not found", "username"));
        if (!user.enabled) {
            throw ApiException.conflict("username", "user " + username + " is disabled");
        }
        return new Subject(tenant.domain);
    }

    private long ttlSeconds(Long requested) {
        if (requested == null) {
            return config.defaultTtl().toSeconds();
        }
        long max = config.maxTtl().toSeconds();
        if (requested < 1 || requested > max) {
            throw ApiException.invalid("ttlSeconds", "ttlSeconds must be between 1 and " + max);
        }
        return requested;
    }

    private static List<String> grants(List<String> requested) {
        if (requested == null) {
            return GRANTS;
        }
        if (requested.isEmpty()) {
            throw ApiException.invalid("grants", "grants must name at least one of outgoing, incoming");
        }
        List<String> grants = new ArrayList<>();
        for (String grant : requested) {
            if (grant == null || !GRANTS.contains(grant)) {
                throw ApiException.invalid("grants", "grants may only contain outgoing and incoming");
            }
            if (!grants.contains(grant)) {
                grants.add(grant);
            }
        }
        return List.copyOf(grants);
    }
}
