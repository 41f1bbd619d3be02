package io.webcall.signaling.events;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.webcall.events.CallDirection;
import io.webcall.events.CallEvent;
import io.webcall.events.CallEventType;
import io.webcall.events.EventPublisher;
import io.webcall.events.EventPublisherConfig;
import io.webcall.events.HangupSide;
import io.webcall.signaling.EdgeConfig;
import io.webcall.signaling.dialog.Dialog;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * Emits the call events (initiated, ringing, answered, ended) of every proxied call to the {@code call-events}
 * topic through the shared non-blocking, idempotent {@link EventPublisher}. A call's events carry an increasing
 * per-call sequence number. Publishing never blocks the SIP event loop; with Kafka disabled events are only
 * handed to local listeners.
 */
@ApplicationScoped
public class CallEvents {

    private static final Logger LOG = Logger.getLogger(CallEvents.class);

    @Inject
    EdgeConfig config;
    @ConfigProperty(name = "kafka.bootstrap.servers")
    Optional<String> bootstrap;

    private EventPublisher publisher;
    private final CopyOnWriteArrayList<Consumer<CallEvent>> listeners = new CopyOnWriteArrayList<>();

    void onStart(@Observes StartupEvent ev) {
        publisher();
    }

    void onStop(@Observes ShutdownEvent ev) {
        if (publisher != null) {
            publisher.close(Duration.ofSeconds(3));
        }
    }

    /** The shared publisher (started on first use), or null when Kafka is disabled. */
    public synchronized EventPublisher publisher() {
        if (publisher == null && config.kafka().enabled() && bootstrap.isPresent()) {
            publisher = EventPublisher.start(EventPublisherConfig.of(bootstrap.get(), "edge-" + config.kafka().instanceId()));
        }
        return publisher;
    }

    /** Observes every emitted event (metrics, tests). */
    public void addListener(Consumer<CallEvent> listener) {
        listeners.add(listener);
    }

    public void initiated(Dialog d) {
        emit(d, CallEventType.INITIATED, null, null, null);
    }

    public void ringing(Dialog d, int code) {
        if (!d.ringingReported) {
            d.ringingReported = true;
            emit(d, CallEventType.RINGING, code, null, null);
        }
    }

    public void answered(Dialog d, int code) {
        emit(d, CallEventType.ANSWERED, code, null, null);
    }

    /** The call ended: {@code code} is the final SIP status (200 for a BYE after answer). */
    public void ended(Dialog d, int code, String cause, HangupSide by) {
        emit(d, CallEventType.ENDED, code, cause, by);
    }

    private void emit(Dialog d, CallEventType type, Integer code, String cause, HangupSide by) {
        UUID tenant = parse(d.tenantId);
        if (tenant == null) {
            return;
        }
        try {
            CallEvent e = CallEvent.builder(type, d.callId, tenant, ++d.eventSeq)
                    .from(d.caller.uri == null ? null : io.webcall.signaling.sip.SipHeaders.uri(d.caller.uri))
                    .to(d.callee.uri == null ? null : io.webcall.signaling.sip.SipHeaders.uri(d.callee.uri))
                    .user(user(d))
                    .direction(direction(d.direction))
                    .sipCode(code).cause(cause).hangupBy(by).build();
            EventPublisher p = publisher;
            if (p != null && !p.publish(e)) {
                LOG.warnf("Call event buffer full, %s event of %s dropped", type, d.callId);
            }
            for (Consumer<CallEvent> l : listeners) {
                l.accept(e);
            }
        } catch (RuntimeException ex) {
            LOG.warnf("Cannot emit %s event for %s: %s", type, d.callId, ex.getMessage());
        }
    }

    private static String user(Dialog d) {
        String u = d.caller.user != null ? d.caller.user : d.callee.user;
        if (u == null) {
            return null;
        }
        int colon = u.indexOf(':');
        int at = u.indexOf('@');
        return at > 0 ? u.substring(colon + 1, at) : u;
    }

    private static CallDirection direction(String d) {
        if (d == null) {
            return null;
        }
        return switch (d) {
            case "inbound" -> CallDirection.INBOUND;
            case "outbound" -> CallDirection.OUTBOUND;
            default -> CallDirection.INTERNAL;
        };
    }

    private static UUID parse(String s) {
        try {
            return s == null ? null : UUID.fromString(s);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
