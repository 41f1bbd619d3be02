package io.webcall.signaling.transport;

import io.webcall.signaling.EdgeConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The limit of open connections (WebSocket, TCP and TLS together) per source address
 * ({@code webcall.edge.limits.max-connections-per-source}): a connection takes a slot when it opens and gives it
 * back when it closes.
 */
@ApplicationScoped
public class ConnectionSlots {

    @Inject
    EdgeConfig config;

    private final Map<String, AtomicInteger> connectionsPerSource = new ConcurrentHashMap<>();

    /** Takes a slot for a new connection from {@code source}; false when the source has all its slots. */
    boolean take(String source) {
        AtomicInteger n = connectionsPerSource.computeIfAbsent(source, s -> new AtomicInteger());
        if (n.incrementAndGet() > config.limits().maxConnectionsPerSource()) {
            n.decrementAndGet();
            return false;
        }
        return true;
    }

    /** Gives back the slot of a closed connection from {@code source}. */
    void release(String source) {
        AtomicInteger n = connectionsPerSource.get(source);
        if (n != null) {
            n.decrementAndGet();
        }
    }

    /** How many connections from {@code source} hold a slot now. */
    int inUse(String source) {
        AtomicInteger n = connectionsPerSource.get(source);
        return n == null ? 0 : n.get();
    }
}
