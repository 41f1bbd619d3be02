package io.webcall.signaling.registrar;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import io.webcall.signaling.EdgeConfig;
import io.webcall.signaling.auth.Identity;
import io.webcall.signaling.sip.SipHeaders;
import io.webcall.signaling.sip.SipMessage;
import io.webcall.signaling.sip.SipResponses;
import io.webcall.signaling.sip.SipUri;
import io.webcall.signaling.transport.Flow;
import io.webcall.signaling.transport.SipTransports;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.util.List;

/**
 * Registrar (RFC 3261 section 10.3) with outbound flows (RFC 5626 section 6): adds, refreshes and removes
 * bindings, keeps several devices per user apart by {@code +sip.instance}/{@code reg-id} (or Contact URI), and
 * remembers the connection each binding came in on so requests reach browsers whose Contact is unroutable.
 */
@ApplicationScoped
public class Registrar {

    private static final Logger LOG = Logger.getLogger(Registrar.class);
    static final int DEFAULT_EXPIRES = 600;
    static final int MIN_EXPIRES = 30;
    static final int MAX_EXPIRES = 3600;

    @Inject
    LocationService location;
    @Inject
    SipTransports transports;
    @Inject
    EdgeConfig config;
    @Inject
    Vertx vertx;
    @Inject
    MeterRegistry metrics;

    /** webcall_edge_registrations_total, looked up once. */
    private io.micrometer.core.instrument.Counter registrations;

    void onStart(@Observes StartupEvent ev) {
        registrations = metrics.counter("webcall_edge_registrations_total");
        metrics.gauge("webcall_edge_bindings", location, LocationService::size);
        vertx.setPeriodic(5000, t -> location.expire(System.currentTimeMillis(), config.kafka().instanceId()));
    }

    /** Handles an authenticated REGISTER and returns the response to send. */
    public SipMessage register(SipMessage req, Flow flow, Identity identity) {
        String aor = identity.aor();
        List<String> contacts = req.headers("Contact");
        String expiresHeader = req.header("Expires");
        int defaultExpires = DEFAULT_EXPIRES;
        if (expiresHeader != null) {
            try {
                defaultExpires = Integer.parseInt(expiresHeader.trim());
            } catch (NumberFormatException e) {
                return SipResponses.create(req, 400, "Malformed Expires");
            }
        }
        long now = System.currentTimeMillis();
        if (contacts.size() == 1 && contacts.get(0).trim().equals("*")) {
            if (defaultExpires != 0) {
                return SipResponses.create(req, 400, "Wildcard Contact Requires Expires 0");
            }
            for (Binding b : location.lookup(aor)) {
                if (config.kafka().instanceId().equals(b.edgeId())) {
                    location.remove(b, true);
                }
            }
            return ok(req, aor, now);
        }
        for (String c : contacts) {
            String uri = SipHeaders.uri(c);
            if (uri == null || uri.isEmpty()) {
                return SipResponses.create(req, 400, "Malformed Contact");
            }
            int expires = defaultExpires;
            String ep = SipHeaders.param(c, "expires");
            if (ep != null) {
                try {
                    expires = Integer.parseInt(ep.trim());
                } catch (NumberFormatException e) {
                    return SipResponses.create(req, 400, "Malformed Contact expires");
                }
            }
            if (expires > 0 && expires < MIN_EXPIRES) {
                SipMessage r = SipResponses.create(req, 423, "Interval Too Brief");
                r.add("Min-Expires", String.valueOf(MIN_EXPIRES));
                return r;
            }
            expires = Math.min(expires, MAX_EXPIRES);
            String instance = SipHeaders.param(c, "+sip.instance");
            String regIdParam = SipHeaders.param(c, "reg-id");
            int regId = 0;
            if (regIdParam != null) {
                try {
                    regId = Integer.parseInt(regIdParam.trim());
                } catch (NumberFormatException e) {
                    return SipResponses.create(req, 400, "Malformed reg-id");
                }
            }
            Binding b = new Binding(aor, uri, instance, regId, flow.id(), flow.transport().name(), flow.remoteHost(),
                    flow.remotePort(), config.kafka().instanceId(), edgeSipUri(), identity.tenantId(),
                    now + expires * 1000L, req.callId(), req.cseqNumber());
            Binding existing = location.lookup(aor).stream().filter(x -> x.key().equals(b.key())).findFirst().orElse(null);
            if (existing != null && existing.callId().equals(req.callId()) && existing.cseq() >= req.cseqNumber()
                    && existing.edgeId().equals(b.edgeId())) {
                return SipResponses.create(req, 500, "Out Of Order REGISTER");
            }
            if (expires == 0) {
                if (existing != null) {
                    location.remove(existing, true);
                }
            } else {
                location.put(b, true);
            }
        }
        registrations.increment();
        LOG.debugf("REGISTER %s via %s: %d binding(s)", aor, flow, location.lookup(aor).size());
        return ok(req, aor, now);
    }

    private SipMessage ok(SipMessage req, String aor, long now) {
        SipMessage r = SipResponses.create(req, 200, "OK");
        boolean outbound = false;
        for (Binding b : location.lookup(aor)) {
            StringBuilder c = new StringBuilder("<").append(b.contact()).append(">;expires=").append(b.secondsLeft(now));
            if (b.instanceId() != null) {
                c.append(";+sip.instance=\"").append(b.instanceId()).append('"');
                if (b.regId() > 0) {
                    c.append(";reg-id=").append(b.regId());
                    outbound = true;
                }
            }
            r.add("Contact", c.toString());
        }
        if (outbound && req.header("Supported") != null && req.header("Supported").contains("outbound")) {
            r.add("Require", "outbound");
        }
        r.add("Date", date(now));
        return r;
    }

    /**
     * This edge's SIP address as other edge instances reach it: over TCP when the TCP listener runs (forwarded
     * WebRTC offers easily exceed the 1300 bytes RFC 3261 section 18.1.1 allows on UDP), else over UDP.
     */
    String edgeSipUri() {
        String host = config.sip().peerHost().orElse(transports.advertisedHost());
        return "sip:" + host + ":" + transports.sipPort() + (config.sip().tcp() ? ";transport=tcp" : "");
    }

    /** The Date header value (RFC 3261 section 20.17) for {@code nowMillis}, formatted once per second. */
    private static String date(long nowMillis) {
        long second = nowMillis / 1000;
        DateLine c = lastDate;
        if (c != null && c.second() == second) {
            return c.value();
        }
        String v = java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME.format(
                java.time.Instant.ofEpochSecond(second).atZone(java.time.ZoneOffset.UTC));
        lastDate = new DateLine(second, v);
        return v;
    }

    private record DateLine(long second, String value) {
    }

    private static volatile DateLine lastDate;

    /** A connection closed: its bindings are gone (RFC 5626 section 6 flow failure). */
    public void flowClosed(Flow flow) {
        List<Binding> removed = location.removeFlow(flow.id());
        if (!removed.isEmpty()) {
            LOG.debugf("Removed %d binding(s) of closed flow %s", removed.size(), flow);
        }
    }

    /** The SIP URI of a binding's user, for matching a Request-URI. */
    public static String aorOf(String uri) {
        SipUri u = SipUri.parse(uri);
        return u == null ? null : u.aor();
    }
}
