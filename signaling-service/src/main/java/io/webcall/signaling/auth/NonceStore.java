package io.webcall.signaling.auth;

import io.webcall.signaling.EdgeConfig;
import io.webcall.signaling.sip.SipResponses;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Digest nonces (RFC 7616 section 3.3): issued by the edge, valid for {@code nonce-ttl}, and each nonce count
 * ({@code nc}) accepted once and only increasing, so a captured Authorization header cannot be replayed.
 */
@ApplicationScoped
public class NonceStore {

    /** Outcome of checking a nonce and nonce count. */
    public enum Check { OK, STALE, REPLAY, UNKNOWN }

    private static final class State {
        final long created = System.nanoTime();
        long lastNc;
    }

    @Inject
    EdgeConfig config;

    /** Above this many outstanding nonces, expired ones are purged (at most once a second). */
    private static final int PURGE_ABOVE = 100_000;
    /** Hard bound: when even unexpired nonces exceed it (a flood of challenges), all are forgotten (clients re-challenge). */
    private static final int MAX_NONCES = 1_000_000;

    private final Map<String, State> nonces = new ConcurrentHashMap<>();
    private volatile long lastPurge = System.nanoTime();

    public String issue() {
        if (nonces.size() > PURGE_ABOVE && System.nanoTime() - lastPurge > 1_000_000_000L) {
            lastPurge = System.nanoTime();
            purge();
            if (nonces.size() > MAX_NONCES) {
                nonces.clear();
            }
        }
        String nonce = SipResponses.token(24);
        nonces.put(nonce, new State());
        return nonce;
    }

    /** Validates {@code nc} (hex) for the nonce; {@code nc} null means the client used no qop: single use. */
    public synchronized Check use(String nonce, String nc) {
        State s = nonce == null ? null : nonces.get(nonce);
        if (s == null) {
            return Check.UNKNOWN;
        }
        if (System.nanoTime() - s.created > config.auth().nonceTtl().toNanos()) {
            nonces.remove(nonce);
            return Check.STALE;
        }
        long n;
        if (nc == null) {
            nonces.remove(nonce);
            return Check.OK;
        }
        try {
            n = Long.parseLong(nc, 16);
        } catch (NumberFormatException e) {
            return Check.REPLAY;
        }
        if (n <= s.lastNc) {
            return Check.REPLAY;
        }
        s.lastNc = n;
        return Check.OK;
    }

    private void purge() {
        long ttl = config.auth().nonceTtl().toNanos();
        long now = System.nanoTime();
        for (Iterator<State> it = nonces.values().iterator(); it.hasNext(); ) {
            if (now - it.next().created > ttl) {
                it.remove();
            }
        }
    }
}
