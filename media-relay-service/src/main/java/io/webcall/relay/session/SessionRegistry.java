package io.webcall.relay.session;

import io.quarkus.runtime.ShutdownEvent;
import io.webcall.relay.config.RelayConfig;
import io.webcall.relay.stats.RelayMetrics;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The relay's sessions by Call-ID: lookups, teardown (delete, idle timeout, failed media, relay stop) and the
 * records of sessions whose media failed, kept for {@code timeouts.failed-session-retention} and then expired.
 */
@ApplicationScoped
public class SessionRegistry {

    private static final Logger LOG = Logger.getLogger(SessionRegistry.class);

    private final RelayConfig config;
    private final RelayMetrics metrics;
    private final SessionEvents events;
    private final Map<String, MediaSession> sessions = new ConcurrentHashMap<>();
    /** Sessions whose media failed: resources freed, the figures and reason kept for a while (GET, DELETE). */
    private final Map<String, FailedSession> failed = new ConcurrentHashMap<>();

    public SessionRegistry(RelayConfig config, RelayMetrics metrics, SessionEvents events) {
        this.config = config;
        this.metrics = metrics;
        this.events = events;
        metrics.sessionGauge(sessions::size);
        metrics.failedSessionGauge(failed::size);
    }

    /** What is left of a session whose media failed: its last figures and when it failed. */
    record FailedSession(SessionSnapshot snapshot, long failedAtNanos) {
    }

    /** The session of a request: the call's live session, or the one the request created. */
    record Opened(MediaSession session, boolean created) {
    }

    /** The live session of {@code callId}, or a new one, created and counted now. */
    Opened open(String callId, boolean echo) {
        MediaSession session = sessions.get(callId);
        if (session != null) {
            return new Opened(session, false);
        }
        session = new MediaSession(callId, echo, this::onFailure);
        MediaSession raced = sessions.putIfAbsent(callId, session);
        if (raced != null) {
            return new Opened(raced, false);
        }
        metrics.sessionCreated();
        return new Opened(session, true);
    }

    public Optional<MediaSession> find(String callId) {
        return Optional.ofNullable(sessions.get(callId));
    }

    public Collection<MediaSession> sessions() {
        return sessions.values();
    }

    /** Figures of a running session, or the last figures of one whose media failed. */
    public Optional<SessionSnapshot> snapshot(String callId) {
        MediaSession session = sessions.get(callId);
        if (session != null) {
            return Optional.of(SessionSnapshot.of(session, "stats", false, null));
        }
        return Optional.ofNullable(failed.get(callId)).map(FailedSession::snapshot);
    }

    /** Refuses a request on a Call-ID whose session failed until that session is deleted. */
    void rejectIfFailed(String callId) {
        FailedSession f = failed.get(callId);
        if (f != null) {
            throw new RelayException(409, "session_failed", "the media of call " + callId + " failed ("
                    + f.snapshot().failure() + "); delete the session before reusing the Call-ID", null);
        }
    }

    /** Forgets failed sessions recorded longer than the retention before {@code now} ({@link System#nanoTime()}). */
    void expireFailed(long now) {
        long retention = config.timeouts().failedSessionRetention().toNanos();
        failed.values().removeIf(f -> now - f.failedAtNanos() > retention);
    }

    /** Frees the live session of {@code callId} and forgets the record of a failed one; false if there was neither. */
    boolean delete(String callId) {
        return remove(callId, "deleted") != null | failed.remove(callId) != null;
    }

    /** Frees a session: closes its endpoints (ports, ICE agents, DTLS) and publishes its final figures. */
    public MediaSession remove(String callId, String reason) {
        MediaSession session = sessions.remove(callId);
        if (session != null) {
            synchronized (session) {
                session.close();
            }
            LOG.infof("call %s: session freed (%s)", callId, reason);
            events.ended(session, reason);
        }
        return session;
    }

    /**
     * A session that cannot carry media any more (DTLS fingerprint mismatch, failed handshake) is freed at
     * once, ports and ICE agents included, rather than at DELETE or the idle timeout; a small record of it
     * stays for {@code timeouts.failed-session-retention} so {@code GET} still reports why.
     */
    private void onFailure(MediaSession session, String reason) {
        LOG.warnf("call %s: media failed: %s", session.callId(), reason);
        events.failed(session, reason);
        if (sessions.get(session.callId()) != session) {
            return;
        }
        failed.put(session.callId(), new FailedSession(SessionSnapshot.of(session, "failed", true, reason),
                System.nanoTime()));
        remove(session.callId(), "media failed: " + reason);
    }

    /**
     * The relay stops: every session is freed, before the beans are destroyed, so no DTLS handshake is cut off by
     * its threads stopping ({@link LegFactory}) while its session still runs.
     */
    void stop(@Observes ShutdownEvent event) {
        for (String callId : List.copyOf(sessions.keySet())) {
            remove(callId, "relay stopping");
        }
    }
}
