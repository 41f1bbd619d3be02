package io.webcall.account.auth;

import io.webcall.account.config.AccountConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;

import java.time.Duration;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.function.Predicate;

/**
 * Tenant API keys verified recently, keyed by the SHA-256 hash of the key (the key itself is not
 * kept), so a burst of requests with one key costs one database lookup per
 * {@code webcall.api-keys.verified-ttl} instead of one per request. Only keys found in the database
 * are remembered; unknown keys are looked up every time.
 * <p>
 * Revocation and tenant deletion on this instance take effect at once: the entries are dropped when
 * the change is made and again after it commits, and a lookup that raced with the change is not
 * remembered (generation check). Another instance sees a revocation within the TTL at most.
 */
@ApplicationScoped
public class VerifiedApiKeys {

    /** A verified tenant key. */
    public record Verified(UUID keyId, UUID tenantId) {
    }

    private record Entry(Verified key, long expiresAtNanos) {
    }

    private final long ttlNanos;
    private final int maxEntries;
    private final Map<String, Entry> entries = new ConcurrentHashMap<>();
    private final AtomicLong generation = new AtomicLong();
    private final TransactionSynchronizationRegistry transactions;
    private final LongSupplier nanoClock;

    @Inject
    public VerifiedApiKeys(AccountConfig config, TransactionSynchronizationRegistry transactions) {
        this(config.apiKeys().verifiedTtl(), config.apiKeys().verifiedMaxEntries(), transactions, System::nanoTime);
    }

    /**
     * @param ttl        how long a verified key is remembered ({@code 0} remembers nothing)
     * @param maxEntries most keys remembered at once
     * @param nanoClock  monotonic time in nanoseconds ({@link System#nanoTime})
     */
    VerifiedApiKeys(Duration ttl, int maxEntries, TransactionSynchronizationRegistry transactions, LongSupplier nanoClock) {
        this.ttlNanos = ttl.toNanos();
        this.maxEntries = Math.max(1, maxEntries);
        this.transactions = transactions;
        this.nanoClock = nanoClock;
    }

    /** The generation to pass to {@link #remember} for a lookup that starts now. */
    public long generation() {
        return generation.get();
    }

    /** The key with this hash if it was verified less than the TTL ago and not revoked here since. */
    public Optional<Verified> find(String keyHash) {
        Entry e = entries.get(keyHash);
        if (e == null) {
            return Optional.empty();
        }
        if (nanoClock.getAsLong() - e.expiresAtNanos >= 0) {
            entries.remove(keyHash, e);
            return Optional.empty();
        }
        return Optional.of(e.key);
    }

    /** Remembers a key found in the database, unless something was revoked since {@code lookupGeneration}. */
    public void remember(String keyHash, Verified key, long lookupGeneration) {
        if (ttlNanos <= 0) {
            return;
        }
        if (entries.size() >= maxEntries) {
            evict();
        }
        entries.put(keyHash, new Entry(key, nanoClock.getAsLong() + ttlNanos));
        if (generation.get() != lookupGeneration) {
            // a revocation ran while this key was looked up: the answer may be stale
            entries.remove(keyHash);
        }
    }

    /** Forgets one key, now and once the current transaction (the revocation) has completed. */
    public void forgetKey(UUID keyId) {
        forget(e -> e.key.keyId().equals(keyId));
    }

    /** Forgets every key of a tenant, now and once the current transaction has completed. */
    public void forgetTenant(UUID tenantId) {
        forget(e -> e.key.tenantId().equals(tenantId));
    }

    private void forget(Predicate<Entry> which) {
        generation.incrementAndGet();
        entries.values().removeIf(which);
        if (transactions.getTransactionStatus() == Status.STATUS_ACTIVE) {
            transactions.registerInterposedSynchronization(new Synchronization() {
                @Override
                public void beforeCompletion() {
                }

                @Override
                public void afterCompletion(int status) {
                    generation.incrementAndGet();
                    entries.values().removeIf(which);
                }
            });
        }
    }

    private void evict() {
        long now = nanoClock.getAsLong();
        entries.values().removeIf(e -> now - e.expiresAtNanos >= 0);
        // still full of live entries: drop some, they are looked up again on their next use
        Iterator<String> it = entries.keySet().iterator();
        while (entries.size() >= maxEntries && it.hasNext()) {
            it.next();
            it.remove();
        }
    }
}
