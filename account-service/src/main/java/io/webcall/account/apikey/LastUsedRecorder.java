package io.webcall.account.apikey;

import io.webcall.account.config.AccountConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Keeps the last-used time of API keys without a database write per request: a key's
 * {@code last_used_at} is written at most once per {@code webcall.api-keys.last-used-resolution}
 * by this instance.
 */
@ApplicationScoped
public class LastUsedRecorder {

    private final long resolutionMillis;
    private final Map<UUID, Long> lastWritten = new ConcurrentHashMap<>();

    public LastUsedRecorder(AccountConfig config) {
        this.resolutionMillis = config.apiKeys().lastUsedResolution().toMillis();
    }

    /** Records a use of the key now; writes to the database only if the last write is old enough. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void touch(UUID keyId) {
        long now = System.currentTimeMillis();
        boolean[] due = new boolean[1];
        lastWritten.compute(keyId, (id, previous) -> {
            if (previous == null || now - previous >= resolutionMillis) {
                due[0] = true;
                return now;
            }
            return previous;
        });
        if (due[0]) {
            ApiKey.update("lastUsedAt = ?1 where id = ?2", Instant.ofEpochMilli(now), keyId);
        }
    }

    /** Whether {@link #touch} would write now (a cheap check without a transaction). */
    public boolean due(UUID keyId) {
        Long previous = lastWritten.get(keyId);
        return previous == null || System.currentTimeMillis() - previous >= resolutionMillis;
    }

    /** Forgets a revoked key. */
    public void forget(UUID keyId) {
        lastWritten.remove(keyId);
    }
}
