package io.webcall.account.apikey;

import io.webcall.account.auth.VerifiedApiKeys;
import io.webcall.account.crypto.Hashes;
import io.webcall.account.error.ApiException;
import io.webcall.account.validation.Fields;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Issues and revokes tenant API keys. A key is {@code wk_} followed by 43 base64url characters
 * (256 random bits); only its SHA-256 is stored, so it is shown once, in the creation response.
 */
@ApplicationScoped
public class ApiKeyService {

    private static final Logger LOG = Logger.getLogger(ApiKeyService.class);

    public static final String KEY_PREFIX = "wk_";
    static final int NAME_MAX = 100;
    private static final int SHOWN_PREFIX_LENGTH = KEY_PREFIX.length() + 8;

    private final LastUsedRecorder lastUsed;

    private final VerifiedApiKeys verified;

    public ApiKeyService(LastUsedRecorder lastUsed, VerifiedApiKeys verified) {
        this.lastUsed = lastUsed;
        this.verified = verified;
    }

    /** A new key and the only copy of its secret. */
    public record Issued(ApiKey key, String secret) {
    }

    @Transactional
    public Issued create(UUID tenantId, ApiKeyCreateRequest body) {
        String name = body == null || body.name() == null ? "api key" : Fields.text("name", body.name(), NAME_MAX);
        String secret = KEY_PREFIX + Hashes.randomToken(32);
        ApiKey key = new ApiKey();
        key.id = UUID.randomUUID();
        key.tenantId = tenantId;
        key.name = name;
        key.prefix = secret.substring(0, SHOWN_PREFIX_LENGTH);
        key.keyHash = Hashes.sha256Hex(secret);
        key.createdAt = Instant.now();
        key.persistAndFlush();
        LOG.infof("API key %s (%s) created for tenant %s", key.id, key.prefix, tenantId);
        return new Issued(key, secret);
    }

    @Transactional
    public List<ApiKey> list(UUID tenantId) {
        return ApiKey.listForTenant(tenantId);
    }

    @Transactional
    public void revoke(UUID tenantId, UUID keyId) {
        ApiKey key = ApiKey.findForTenant(tenantId, keyId)
                .orElseThrow(() -> ApiException.notFound("API key " + keyId + " not found"));
        key.delete();
        lastUsed.forget(keyId);
        verified.forgetKey(keyId);
        LOG.infof("API key %s (%s) of tenant %s revoked", key.id, key.prefix, tenantId);
    }
}
