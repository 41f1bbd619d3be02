package io.webcall.account.auth;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.webcall.account.apikey.ApiKey;
import io.webcall.account.apikey.LastUsedRecorder;
import io.webcall.account.config.AccountConfig;
import io.webcall.account.crypto.Hashes;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import org.jboss.logging.Logger;

import java.util.Optional;

/**
 * Resolves a presented API key to a {@link Caller}. The operator key is compared by SHA-256 hash in
 * constant time (the key itself is not kept); tenant keys are looked up by the SHA-256 hash stored
 * at creation.
 */
@ApplicationScoped
public class ApiKeyAuthenticator {

    private static final Logger LOG = Logger.getLogger(ApiKeyAuthenticator.class);

    private final String adminKeyHash;
    private final LastUsedRecorder lastUsed;
    private final Counter rejected;

    public ApiKeyAuthenticator(AccountConfig config, LastUsedRecorder lastUsed, MeterRegistry registry) {
        this.adminKeyHash = config.admin().apiKey().filter(k -> !k.isBlank()).map(Hashes::sha256Hex).orElse(null);
        this.lastUsed = lastUsed;
        this.rejected = Counter.builder("webcall.account.api_key.rejected")
                .description("requests refused for an unknown or revoked API key").register(registry);
        if (adminKeyHash == null) {
            LOG.warn("webcall.admin.api-key is not set: the operator API refuses every request");
        }
    }

    @Transactional
    public Optional<Caller> authenticate(String presented) {
        String hash = Hashes.sha256Hex(presented);
        if (adminKeyHash != null && Hashes.constantTimeEquals(hash, adminKeyHash)) {
            return Optional.of(Caller.operator());
        }
        Optional<ApiKey> key = ApiKey.findByHash(hash);
        if (key.isEmpty()) {
            rejected.increment();
            return Optional.empty();
        }
        lastUsed.touch(key.get().id);
        return Optional.of(Caller.tenant(key.get().tenantId, key.get().id));
    }
}
