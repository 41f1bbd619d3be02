package io.webcall.account.token;

import java.security.PrivateKey;
import java.security.interfaces.ECPublicKey;
import java.time.Instant;

/**
 * A signing key in memory. {@code privateKey} is only present for the key that signs.
 */
record LoadedKey(String kid, ECPublicKey publicKey, PrivateKey privateKey, Instant createdAt, Instant retiredAt) {
}
