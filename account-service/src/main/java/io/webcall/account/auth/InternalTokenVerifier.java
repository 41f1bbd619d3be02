package io.webcall.account.auth;

import io.webcall.account.config.AccountConfig;
import io.webcall.account.crypto.Hashes;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

/**
 * Checks the shared {@code webcall.internal.token}: the SHA-256 of the presented token is compared
 * in constant time with the configured one's; the token itself is not kept.
 */
@ApplicationScoped
public class InternalTokenVerifier {

    private static final Logger LOG = Logger.getLogger(InternalTokenVerifier.class);

    private final String expectedHash;

    public InternalTokenVerifier(AccountConfig config) {
        this.expectedHash = config.internal().token().filter(t -> !t.isBlank()).map(Hashes::sha256Hex).orElse(null);
        if (expectedHash == null) {
            LOG.warn("webcall.internal.token is not set: the internal endpoints refuse every request");
        }
    }

    public boolean matches(String presented) {
        return expectedHash != null && Hashes.constantTimeEquals(Hashes.sha256Hex(presented), expectedHash);
    }
}
