package io.webcall.relay.session;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.webcall.relay.config.RelayConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Enforces the timeouts: a running call without media for {@code timeouts.no-media} raises a no-media
 * event; a session without media and signaling for {@code timeouts.idle-session} is freed, so sessions
 * whose call is gone never leak. Also emits the periodic statistics and the relay's own RTCP reports.
 */
@ApplicationScoped
public class SessionReaper {

    private static final Logger LOG = Logger.getLogger(SessionReaper.class);

    private final SessionRegistry sessions;
    private final SessionEvents events;
    private final RelayConfig config;
    private ScheduledExecutorService timer;
    private long lastStatsNanos = System.nanoTime();

    public SessionReaper(SessionRegistry sessions, SessionEvents events, RelayConfig config) {
        this.sessions = sessions;
        this.events = events;
        this.config = config;
    }

    void start(@Observes StartupEvent event) {
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "relay-session-reaper");
            t.setDaemon(true);
            return t;
        });
        long period = config.timeouts().sweepInterval().toMillis();
        timer.scheduleAtFixedRate(this::sweep, period, period, TimeUnit.MILLISECONDS);
    }

    void stop(@Observes ShutdownEvent event) {
        if (timer != null) {
            timer.shutdownNow();
        }
    }

    void sweep() {
        sweep(System.nanoTime());
    }

    /** One pass over all sessions as of {@code now} (a {@link System#nanoTime()} value). */
    void sweep(long now) {
        try {
            long noMedia = config.timeouts().noMedia().toNanos();
            long idle = config.timeouts().idleSession().toNanos();
            long rtcpInterval = config.stats().rtcpInterval().toNanos();
            boolean statsDue = now - lastStatsNanos >= config.stats().interval().toNanos();
            if (statsDue) {
                lastStatsNanos = now;
            }
            sessions.expireFailed(now);
            for (MediaSession s : List.copyOf(sessions.sessions())) {
                long sinceMedia = now - s.lastMediaNanos();
                long sinceActivity = now - Math.max(s.lastMediaNanos(), s.lastSignalNanos());
                if (sinceActivity > idle) {
                    sessions.remove(s.callId(), "idle timeout");
                    continue;
                }
                if (s.answered()) {
                    for (Leg leg : s.legs()) {
                        leg.maybeSendReport(now, rtcpInterval);
                    }
                }
                if (s.answered() && sinceMedia > noMedia && !s.noMediaReported()) {
                    s.noMediaReported(true);
                    events.noMedia(s);
                } else if (statsDue && s.answered()) {
                    events.periodic(s);
                }
            }
        } catch (RuntimeException e) {
            LOG.warn("session sweep failed", e);
        }
    }
}
