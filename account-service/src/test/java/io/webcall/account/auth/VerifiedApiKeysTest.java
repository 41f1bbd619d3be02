package io.webcall.account.auth;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.webcall.account.AccountApi;
import io.webcall.account.apikey.ApiKey;
import io.webcall.account.apikey.ApiKeyService;
import io.webcall.account.apikey.LastUsedRecorder;
import io.webcall.account.config.AccountConfig;
import io.webcall.account.crypto.Hashes;
import io.webcall.account.tenant.TenantService;
import jakarta.inject.Inject;
import jakarta.transaction.TransactionSynchronizationRegistry;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The cache of verified API keys against the real database: what it remembers, for how long, what
 * it forgets at once and what it never keeps. Where time matters the cache runs on a clock the test
 * moves; the service's own instance is used where revocation goes through the service.
 */
@QuarkusTest
class VerifiedApiKeysTest {

    static final Duration TTL = Duration.ofSeconds(5);

    @Inject
    AccountConfig config;

    @Inject
    LastUsedRecorder lastUsed;

    @Inject
    MeterRegistry meters;

    @Inject
    TransactionSynchronizationRegistry transactions;

    /** The service's own cache and authenticator, as the request filters use them. */
    @Inject
    VerifiedApiKeys serviceCache;

    @Inject
    ApiKeyAuthenticator serviceAuthenticator;

    @Inject
    ApiKeyService keys;

    @Inject
    TenantService tenants;

    final AtomicLong now = new AtomicLong(1_000_000_000L);
    VerifiedApiKeys cache;
    ApiKeyAuthenticator authenticator;
    UUID tenant;
    String key;

    @BeforeEach
    void cacheOnATestClockAndATenantKey() {
        cache = new VerifiedApiKeys(TTL, 100, transactions, now::get);
        authenticator = new ApiKeyAuthenticator(config, lastUsed, cache, meters);
        tenant = UUID.fromString(AccountApi.createTenant(AccountApi.uniqueDomain("verified")));
        key = AccountApi.createApiKey(tenant.toString());
    }

    @Test
    void aVerifiedKeyIsRememberedAndAnsweredWithoutTheDatabaseWithinTheTtl() {
        Caller first = authenticator.authenticate(key).orElseThrow();
        assertEquals(tenant, first.tenantId());
        assertEquals(Optional.of(new VerifiedApiKeys.Verified(first.apiKeyId(), tenant)), cache.find(Hashes.sha256Hex(key)));

        // the row goes away behind this instance's back (another instance revoked it)
        deleteRow(first.apiKeyId());
        now.addAndGet(TTL.toNanos() - 1);
        Optional<Caller> remembered = authenticator.authenticate(key);
        assertEquals(Optional.of(first), remembered, "answered from the cache within the TTL");
    }

    @Test
    void anExpiredEntryIsVerifiedAgainstTheDatabaseAgain() {
        Caller first = authenticator.authenticate(key).orElseThrow();
        now.addAndGet(TTL.toNanos());
        assertEquals(Optional.empty(), cache.find(Hashes.sha256Hex(key)), "expired at the TTL");

        // still in the database: verified again and remembered for another TTL
        assertEquals(Optional.of(first), authenticator.authenticate(key));
        assertTrue(cache.find(Hashes.sha256Hex(key)).isPresent());

        // revoked elsewhere meanwhile: the next lookup after expiry refuses it
        deleteRow(first.apiKeyId());
        now.addAndGet(TTL.toNanos());
        assertEquals(Optional.empty(), authenticator.authenticate(key));
        assertEquals(Optional.empty(), cache.find(Hashes.sha256Hex(key)));
    }

    @Test
    void revokingAKeyRefusesItAtOnceOnTheInstanceThatRevokedIt() {
        Caller caller = serviceAuthenticator.authenticate(key).orElseThrow();
        assertTrue(serviceCache.find(Hashes.sha256Hex(key)).isPresent(), "remembered after the first use");

        keys.revoke(tenant, caller.apiKeyId());

        assertEquals(Optional.empty(), serviceCache.find(Hashes.sha256Hex(key)));
        assertEquals(Optional.empty(), serviceAuthenticator.authenticate(key), "no TTL to wait for");
    }

    @Test
    void deletingATenantRefusesAllItsKeysAtOnceAndKeepsOtherTenantsKeys() {
        String secondKey = AccountApi.createApiKey(tenant.toString());
        String otherTenantsKey = AccountApi.createApiKey(AccountApi.createTenant(AccountApi.uniqueDomain("verified-other")));
        serviceAuthenticator.authenticate(key).orElseThrow();
        serviceAuthenticator.authenticate(secondKey).orElseThrow();
        serviceAuthenticator.authenticate(otherTenantsKey).orElseThrow();

        tenants.delete(tenant);

        assertEquals(Optional.empty(), serviceAuthenticator.authenticate(key));
        assertEquals(Optional.empty(), serviceAuthenticator.authenticate(secondKey));
        assertTrue(serviceCache.find(Hashes.sha256Hex(otherTenantsKey)).isPresent(), "another tenant's key stays remembered");
    }

    @Test
    void aLookupThatRacedWithARevocationIsNotRemembered() {
        Caller caller = authenticator.authenticate(key).orElseThrow();
        VerifiedApiKeys.Verified verified = new VerifiedApiKeys.Verified(caller.apiKeyId(), tenant);
        String hash = Hashes.sha256Hex(key);

        // a lookup starts, the key is revoked, the lookup finishes with what it read before
        long lookupStarted = cache.generation();
        cache.forgetKey(caller.apiKeyId());
        cache.remember(hash, verified, lookupStarted);
        assertEquals(Optional.empty(), cache.find(hash));

        // within the revoking transaction: a lookup that read the row before the commit is dropped after it
        QuarkusTransaction.requiringNew().run(() -> {
            cache.forgetKey(caller.apiKeyId());
            cache.remember(hash, verified, cache.generation());
            assertTrue(cache.find(hash).isPresent(), "the commit has not happened yet");
        });
        assertEquals(Optional.empty(), cache.find(hash), "dropped again once the revocation completed");
    }

    @Test
    void aWrongKeyIsNeverRememberedAsValid() {
        authenticator.authenticate(key).orElseThrow();
        for (String wrong : new String[] {key + "x", key.substring(0, key.length() - 1), "wk_" + "A".repeat(43), key.toUpperCase()}) {
            assertEquals(Optional.empty(), authenticator.authenticate(wrong), wrong);
            assertEquals(Optional.empty(), authenticator.authenticate(wrong), "refused again: " + wrong);
            assertEquals(Optional.empty(), cache.find(Hashes.sha256Hex(wrong)), wrong);
        }
        assertEquals(Optional.empty(), serviceAuthenticator.authenticate(key + "x"));
        assertEquals(Optional.empty(), serviceCache.find(Hashes.sha256Hex(key + "x")));
    }

    @Test
    void theCacheIsBoundedAndExpiredEntriesGoFirst() {
        VerifiedApiKeys small = new VerifiedApiKeys(TTL, 3, transactions, now::get);
        for (int i = 0; i < 20; i++) {
            small.remember("hash-" + i, new VerifiedApiKeys.Verified(UUID.randomUUID(), tenant), small.generation());
        }
        assertTrue(remembered(small, 20) <= 3, "at most 3 entries, found " + remembered(small, 20));
        assertTrue(small.find("hash-19").isPresent(), "the newest is kept");

        // three live entries after everything older expired: none is pushed out by the expired ones
        now.addAndGet(TTL.toNanos());
        for (int i = 20; i < 23; i++) {
            small.remember("hash-" + i, new VerifiedApiKeys.Verified(UUID.randomUUID(), tenant), small.generation());
        }
        assertEquals(3, IntStream.range(20, 23).filter(i -> small.find("hash-" + i).isPresent()).count());
        assertEquals(3, remembered(small, 23));
    }

    @Test
    void aZeroTtlRemembersNothing() {
        VerifiedApiKeys off = new VerifiedApiKeys(Duration.ZERO, 100, transactions, now::get);
        ApiKeyAuthenticator lookingUpEveryTime = new ApiKeyAuthenticator(config, lastUsed, off, meters);
        assertTrue(lookingUpEveryTime.authenticate(key).isPresent());
        assertFalse(off.find(Hashes.sha256Hex(key)).isPresent());
    }

    private static long remembered(VerifiedApiKeys cache, int upTo) {
        return IntStream.range(0, upTo).filter(i -> cache.find("hash-" + i).isPresent()).count();
    }

    private static void deleteRow(UUID keyId) {
        QuarkusTransaction.requiringNew().run(() -> ApiKey.deleteById(keyId));
    }
}
