package io.webcall.relay.session;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.webcall.events.EventPublisher;
import io.webcall.events.EventPublisherConfig;
import io.webcall.events.MediaStats;
import io.webcall.events.StreamStats;
import io.webcall.relay.config.RelayConfig;
import io.webcall.relay.stats.RelayMetrics;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Publishes what the relay knows about calls to Kafka (key = Call-ID):
 * <ul>
 *   <li>{@code media-stats}: {@link MediaStats} of the shared event contract, periodically while a call
 *   runs and once more with {@code final=true} when its session ends; caller = the side that sent the
 *   first offer.</li>
 *   <li>the media events topic ({@code media-events} by default): {@code {"type":"no-media"|"failed",
 *   "callId","time","reason"}}, alarms the signaling edge can act on (e.g. end a call whose media
 *   stopped).</li>
 * </ul>
 * Without {@code kafka.bootstrap.servers} nothing is published (the figures stay available on the
 * control API).
 */
@ApplicationScoped
public class SessionEvents {

    private static final Logger LOG = Logger.getLogger(SessionEvents.class);

    private final RelayConfig config;
    private final RelayMetrics metrics;
    private final ObjectMapper mapper;
    private final EventPublisher publisher;

    public SessionEvents(RelayConfig config, RelayMetrics metrics, ObjectMapper mapper,
                         @ConfigProperty(name = "kafka.bootstrap.servers") Optional<String> bootstrap) {
        this.config = config;
        this.metrics = metrics;
        this.mapper = mapper;
        if (config.stats().publish() && bootstrap.isPresent() && !bootstrap.get().isBlank()) {
            publisher = EventPublisher.start(EventPublisherConfig.of(bootstrap.get(), "media-relay"));
        } else {
            publisher = null;
            LOG.info("media statistics are not published (no kafka.bootstrap.servers or publishing disabled)");
        }
    }

    public void periodic(MediaSession session) {
        publishStats(session, false);
    }

    public void noMedia(MediaSession session) {
        metrics.noMedia();
        LOG.warnf("call %s: no media for %s", session.callId(), config.timeouts().noMedia());
        publishEvent(session, "no-media", "no media for " + config.timeouts().noMedia());
    }

    public void failed(MediaSession session, String reason) {
        publishEvent(session, "failed", reason);
    }

    public void ended(MediaSession session, String reason) {
        publishStats(session, true);
    }

    private void publishStats(MediaSession session, boolean finalReport) {
        if (publisher == null) {
            return;
        }
        SessionSnapshot snapshot = SessionSnapshot.of(session, finalReport ? "ended" : "stats", finalReport, null);
        StreamStats callerToCallee = null;
        StreamStats calleeToCaller = null;
        for (SessionSnapshot.DirectionView d : snapshot.directions()) {
            StreamStats stats = new StreamStats(d.packets(), d.bytes(), d.lost(), d.jitterMs(), d.rttMs(),
                    d.packets() > 0 ? d.mos() : null);
            if (d.from().equals("a")) {
                callerToCallee = stats;
                if (session.echo()) {
                    calleeToCaller = new StreamStats(d.forwarded(), 0, 0, 0, d.rttMs(), null);
                }
            } else {
                calleeToCaller = stats;
            }
        }
        publisher.publish(MediaStats.of(session.callId(), null, session.nextReportSeq(), finalReport,
                callerToCallee, calleeToCaller));
    }

    private void publishEvent(MediaSession session, String type, String reason) {
        if (publisher == null) {
            return;
        }
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("type", type);
        event.put("callId", session.callId());
        event.put("time", Instant.now().toString());
        event.put("reason", reason);
        try {
            publisher.publish(config.stats().eventsTopic(), session.callId(), mapper.writeValueAsBytes(event));
        } catch (Exception e) {
            LOG.warnf("media event for %s not published: %s", session.callId(), e.getMessage());
        }
    }

    @PreDestroy
    void close() {
        if (publisher != null) {
            publisher.close(Duration.ofSeconds(2));
        }
    }
}
