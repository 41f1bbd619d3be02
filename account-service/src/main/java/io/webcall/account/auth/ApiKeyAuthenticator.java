package io.webcall.account.auth;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.webcall.account.apikey.ApiKey;
import io.webcall.account.apikey.LastUsedRecorder;
import io.webcall.account.config.AccountConfig;
import io.webcall.account.crypto.Hashes;
import jakarta.enterprise.context.ApplicationScoped;
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
    private final VerifiedApiKeys verified;
    private final Counter rejected;

    public ApiKeyAuthenticator(AccountConfig config, LastUsedRecorder lastUsed, VerifiedApiKeys verified,
                               MeterRegistry registry) {
        this.verified = verified;
        this.adminKeyHash = config.admin().apiKey().filter(k -> !k.isBlank()).map(Hashes::sha256Hex).orElse(null);
        this.lastUsed = lastUsed;
        this.rejected = Counter.builder("webcall.account.api_key.rejected")
                .description("requests refused for an unknown or revoked API key").register(registry);
        if (adminKeyHash == null) {
            LOG.warn("webcall.admin.api-key is not set: the operator API refuses every request");
        }
    }

    /**
     * The caller a presented key stands for. A tenant key verified within the last few seconds is
     * answered from {@link VerifiedApiKeys} without a database transaction (unless its last-used time
     * is due to be written).
     */
    public Optional<Caller> authenticate(String presented) {
        String hash = Hashes.sha256Hex(presented);
        if (adminKeyHash != null && Hashes.constantTimeEquals(hash, adminKeyHash)) {
            return Optional.of(Caller.operator());
        }
        Optional<VerifiedApiKeys.Verified> remembered = verified.find(hash);
        if (remembered.isPresent()) {
            VerifiedApiKeys.Verified key = remembered.get();
            if (lastUsed.due(key.keyId())) {
                QuarkusTransaction.requiringNew().run(() -> lastUsed.touch(key.keyId()));
            }
            return Optional.of(Caller.tenant(key.tenantId(), key.keyId()));
        }
        long generation = verified.generation();
        Optional<VerifiedApiKeys.Verified> key = QuarkusTransaction.joiningExisting().call(() -> lookUp(hash));
        if (key.isEmpty()) {
            rejected.increment();
            return Optional.empty();
        }
        verified.remember(hash, key.get(), generation);
        return Optional.of(Caller.tenant(key.get().tenantId(), key.get().keyId()));
    }

    private Optional<VerifiedApiKeys.Verified> lookUp(String hash) {
        Optional<ApiKey> key = ApiKey.findByHash(hash);
        key.ifPresent(k -> lastUsed.touch(k.id));
        return key.map(k -> new VerifiedApiKeys.Verified(k.id, k.tenantId));
    }
}
