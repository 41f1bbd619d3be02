package io.webcall.account.token;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.StartupEvent;
import io.webcall.account.config.AccountConfig;
import io.webcall.account.crypto.SecretCipher;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.security.KeyPair;
import java.security.interfaces.ECPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * The ES256 signing keys, shared by all instances through PostgreSQL.
 * <ul>
 * <li>The newest key without {@code retired_at} signs. A key older than
 * {@code webcall.tokens.signing-key-max-age} is replaced on the next issuance; the operator can
 * rotate at any time.</li>
 * <li>Rotation retires the active key and keeps it published until
 * {@code now + max-ttl + key-refresh-interval + clock-skew}: every token it signed (also by an
 * instance that has not seen the rotation yet) has expired by then. Keys past that are deleted.</li>
 * <li>Rotations are serialised across instances with a PostgreSQL advisory lock.</li>
 * <li>Each instance re-reads the keys every {@code key-refresh-interval}, and at once when asked for
 * an unknown {@code kid}.</li>
 * </ul>
 */
@ApplicationScoped
public class SigningKeyStore {

    private static final Logger LOG = Logger.getLogger(SigningKeyStore.class);
    private static final long ROTATION_LOCK = 0x77656263616c6cL; // "webcall"
    private static final long MIN_UNKNOWN_KID_RELOAD_NANOS = Duration.ofSeconds(1).toNanos();

    private final SecretCipher cipher;
    private final AccountConfig.Tokens config;

    private volatile Snapshot snapshot;
    private volatile long lastUnknownKidReload;

    private record Snapshot(LoadedKey current, List<LoadedKey> published, long loadedAtNanos) {
    }

    public SigningKeyStore(SecretCipher cipher, AccountConfig config) {
        this.cipher = cipher;
        this.config = config.tokens();
    }

    void onStart(@Observes StartupEvent event) {
        rotate(false);
    }

    /** The key that signs new tokens; rotated first if it is older than the maximum age. */
    public LoadedKey signingKey() {
        Snapshot s = fresh();
        if (s.current() == null || s.current().createdAt().plus(config.signingKeyMaxAge()).isBefore(Instant.now())) {
            rotate(false);
            s = snapshot;
        }
        return s.current();
    }

    /** Keys whose tokens may still be valid: the signing key first, then retired ones. */
    public List<LoadedKey> published() {
        return fresh().published();
    }

    /** The public key for a {@code kid}, re-reading the database once if the kid is unknown here. */
    public Optional<ECPublicKey> verificationKey(String kid) {
        Optional<ECPublicKey> key = find(fresh(), kid);
        long now = System.nanoTime();
        if (key.isEmpty() && now - lastUnknownKidReload > MIN_UNKNOWN_KID_RELOAD_NANOS) {
            lastUnknownKidReload = now;
            key = find(reload(), kid);
        }
        return key;
    }

    /**
     * Replaces the signing key. With {@code force} false this happens only if there is no active
     * key or it is older than the maximum age (checked again under the lock, so concurrent callers
     * on any instance rotate once). Returns the kid that signs afterwards.
     */
    public String rotate(boolean force) {
        String kid = QuarkusTransaction.requiringNew().call(() -> rotateLocked(force));
        reload();
        return kid;
    }

    private String rotateLocked(boolean force) {
        SigningKey.getEntityManager()
                .createNativeQuery("select cast(pg_advisory_xact_lock(" + ROTATION_LOCK + ") as text)")
                .getSingleResult();
        Instant now = Instant.now();
        List<SigningKey> active = SigningKey.active();
        if (!force && !active.isEmpty() && active.get(0).createdAt.plus(config.signingKeyMaxAge()).isAfter(now)) {
            return active.get(0).kid;
        }
        Instant publishUntil = now.plus(config.maxTtl()).plus(config.keyRefreshInterval()).plus(config.clockSkew());
        for (SigningKey old : active) {
            old.retiredAt = now;
            old.publishUntil = publishUntil;
        }
        long expired = SigningKey.delete("retiredAt is not null and publishUntil <= ?1", now);
        KeyPair pair = EcKeys.generate();
        SigningKey key = new SigningKey();
        key.kid = EcKeys.thumbprint((ECPublicKey) pair.getPublic());
        key.algorithm = "ES256";
        key.publicKey = Base64.getEncoder().encodeToString(pair.getPublic().getEncoded());
        key.privateKeyEnc = cipher.encrypt(pair.getPrivate().getEncoded(), key.privateKeyContext());
        key.createdAt = now;
        key.persist();
        LOG.infof("signing key %s created (%d retired, published until %s; %d expired keys removed)",
                key.kid, active.size(), publishUntil, expired);
        return key.kid;
    }

    private Snapshot fresh() {
        Snapshot s = snapshot;
        if (s == null || System.nanoTime() - s.loadedAtNanos() >= config.keyRefreshInterval().toNanos()) {
            s = reload();
        }
        return s;
    }

    private synchronized Snapshot reload() {
        Snapshot loaded = QuarkusTransaction.requiringNew().call(() -> {
            List<SigningKey> rows = SigningKey.published(Instant.now());
            LoadedKey current = null;
            List<LoadedKey> published = new ArrayList<>(rows.size());
            for (SigningKey row : rows) {
                ECPublicKey publicKey = EcKeys.publicKey(Base64.getDecoder().decode(row.publicKey));
                if (current == null && row.retiredAt == null) {
                    current = new LoadedKey(row.kid, publicKey,
                            EcKeys.privateKey(cipher.decrypt(row.privateKeyEnc, row.privateKeyContext())),
                            row.createdAt, null);
                    published.add(0, current);
                } else {
                    published.add(new LoadedKey(row.kid, publicKey, null, row.createdAt, row.retiredAt));
                }
            }
            return new Snapshot(current, List.copyOf(published), System.nanoTime());
        });
        snapshot = loaded;
        return loaded;
    }

    private static Optional<ECPublicKey> find(Snapshot s, String kid) {
        return s.published().stream().filter(k -> k.kid().equals(kid)).map(LoadedKey::publicKey).findFirst();
    }
}
