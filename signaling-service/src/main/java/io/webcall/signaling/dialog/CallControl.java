package io.webcall.signaling.dialog;

import io.vertx.core.Vertx;
import io.webcall.events.HangupSide;
import io.webcall.signaling.EdgeConfig;
import io.webcall.signaling.logging.CallMdc;
import io.webcall.signaling.events.CallEvents;
import io.webcall.signaling.media.MediaKind;
import io.webcall.signaling.media.RelayClient;
import io.webcall.signaling.sip.SipHeaders;
import io.webcall.signaling.sip.SipMessage;
import io.webcall.signaling.sip.SipUri;
import io.webcall.signaling.transport.Flow;
import io.webcall.signaling.transport.SipTransports;
import io.webcall.signaling.transport.Transport;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.util.ArrayList;
import java.util.List;

/**
 * Life cycle of proxied calls: confirmation (route sets, session timer per RFC 4028 section 10), the grace period
 * when a browser's WebSocket drops mid-call, ending a call from the edge with BYE toward the remaining side,
 * freeing the relay session and emitting call events.
 */
@ApplicationScoped
public class CallControl {

    private static final Logger LOG = Logger.getLogger(CallControl.class);

    @Inject
    EdgeBye byes;
    @Inject
    Vertx vertx;
    @Inject
    EdgeConfig config;
    @Inject
    DialogStore dialogs;
    @Inject
    CallEvents events;
    @Inject
    RelayClient relay;
    @Inject
    SipTransports transports;

    /** Creates the call for an initial INVITE and reports it as initiated. */
    public Dialog initiated(SipMessage invite, Flow from, MediaKind kind, String tenantId, String direction, String callerUser) {
        Dialog d = new Dialog(invite.callId());
        d.caller.tag = invite.fromTag();
        d.caller.uri = SipHeaders.withoutParam(invite.header("From"), "tag");
        d.caller.contact = SipHeaders.uri(invite.header("Contact"));
        d.caller.kind = kind;
        d.caller.flowId = from.reliable() ? from.id() : null;
        d.caller.host = from.remoteHost();
        d.caller.port = from.remotePort();
        d.caller.transport = from.transport().name();
        d.caller.cseq = invite.cseqNumber();
        d.caller.user = callerUser;
        d.callee.uri = SipHeaders.withoutParam(invite.header("To"), "tag");
        d.tenantId = tenantId;
        d.direction = direction;
        dialogs.put(d);
        events.initiated(d);
        return d;
    }

    /**
     * The first 2xx to the initial INVITE: record the callee leg and both route sets (RFC 3261 section 12.1.2),
     * start the session timer if one was negotiated.
     *
     * @param response the 2xx as forwarded upstream (our Via removed)
     * @param calleeFlowId the callee's connection, or null
     * @param via the flow the INVITE went out on
     */
    public void confirmed(Dialog d, SipMessage response, String calleeFlowId, Flow via, MediaKind kind, long cseqDelta) {
        d.state = Dialog.State.CONFIRMED;
        d.answeredAt = System.currentTimeMillis();
        d.callee.tag = response.toTag();
        d.callee.uri = SipHeaders.withoutParam(response.header("To"), "tag");
        d.callee.contact = SipHeaders.uri(response.header("Contact"));
        d.callee.kind = kind;
        d.callee.flowId = calleeFlowId;
        d.callee.host = via.remoteHost();
        d.callee.port = via.remotePort();
        d.callee.transport = via.transport().name();
        d.cseqDelta = cseqDelta;
        List<String> rr = response.headers("Record-Route");
        int ours = -1;
        for (int i = 0; i < rr.size(); i++) {
            SipUri u = SipUri.parse(SipHeaders.uri(rr.get(i)));
            if (u != null && config.kafka().instanceId().equals(u.param("wcedge"))) {
                ours = i;
                break;
            }
        }
        d.callee.routeSet = new ArrayList<>();
        d.caller.routeSet = new ArrayList<>();
        if (ours >= 0) {
            for (int i = ours - 1; i >= 0; i--) {
                d.callee.routeSet.add(rr.get(i));
            }
            for (int i = ours + 1; i < rr.size(); i++) {
                d.caller.routeSet.add(rr.get(i));
            }
        }
        d.sessionExpires = 0;
        Integer se = sessionInterval(response);
        if (se != null) {
            d.sessionExpires = atLeastMinSe(d, se);
        }
        armSessionTimer(d);
        events.answered(d, response.status());
    }

    /** The edge's echo service answered the call. */
    public void answeredEcho(Dialog d) {
        events.answered(d, 200);
    }

    /** A session refresh (2xx to re-INVITE or UPDATE) restarts the session timer (RFC 4028 section 10). */
    public void refreshed(Dialog d, SipMessage response) {
        Integer se = sessionInterval(response);
        if (se != null) {
            d.sessionExpires = atLeastMinSe(d, se);
        }
        armSessionTimer(d);
    }

    /** The delta-seconds of a message's Session-Expires header (RFC 4028 section 4), or null when absent or malformed. */
    public static Integer sessionInterval(SipMessage m) {
        String se = m.header("Session-Expires");
        if (se == null) {
            return null;
        }
        try {
            return Integer.parseInt(se.split(";")[0].trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /**
     * RFC 4028 section 5: no session interval is below Min-SE. A 2xx that returns a smaller one (a UAS that ignores
     * the Min-SE it was sent) is not trusted: the edge's own expiry uses its configured minimum instead.
     */
    private int atLeastMinSe(Dialog d, int interval) {
        int min = config.calls().minSessionExpires();
        if (interval > 0 && interval < min) {
            LOG.infof("Session interval %d s of %s is below the edge's Min-SE; its session timer uses %d s", interval, d.callId, min);
            return min;
        }
        return Math.max(interval, 0);
    }

    /** A call whose session timer lapsed is ended this long after its Session-Expires. */
    static final long EXPIRY_MARGIN_MS = 2_000L;

    private void armSessionTimer(Dialog d) {
        if (d.sessionTimer >= 0) {
            vertx.cancelTimer(d.sessionTimer);
            d.sessionTimer = -1;
        }
        if (d.sessionExpires > 0) {
            // RFC 4028 section 10: without a refresh, the session ends at Session-Expires minus a margin
            long ms = d.sessionExpires * 1000L + EXPIRY_MARGIN_MS;
            d.sessionTimer = vertx.setTimer(ms, CallMdc.forCall(d.callId, t -> {
                d.sessionTimer = -1;
                LOG.infof("Session timer of %s expired without refresh; ending the call", d.callId);
                terminate(d, 408, "session-timer-expired");
            }));
        }
    }

    /**
     * Ends a call from the platform: BYE to both sides (an answered call) and the {@code ended} event with
     * {@code code} and {@code cause}, hung up by the system. Unanswered calls are cancelled instead.
     */
    public void terminate(Dialog d, int code, String cause) {
        if (d == null || d.state == Dialog.State.TERMINATED) {
            return;
        }
        if (d.state == Dialog.State.EARLY) {
            if (d.cancelAction != null) {
                d.cancelAction.run();
            }
            return;
        }
        byeBoth(d);
        ended(d, code, cause, HangupSide.SYSTEM);
    }

    /** Ends a call: stops timers, frees the relay session, reports it; idempotent. */
    public void ended(Dialog d, int code, String cause, HangupSide by) {
        if (d == null || d.state == Dialog.State.TERMINATED) {
            return;
        }
        d.state = Dialog.State.TERMINATED;
        if (d.graceTimer >= 0) {
            vertx.cancelTimer(d.graceTimer);
        }
        if (d.sessionTimer >= 0) {
            vertx.cancelTimer(d.sessionTimer);
        }
        relay.delete(d.callId);
        events.ended(d, code, cause, by);
        // keep the dialog a little for late retransmissions of BYE
        vertx.setTimer(5000, t -> dialogs.remove(d));
    }

    /** A connection closed: calls with a leg on it get the grace period, unanswered ones are cancelled. */
    public void flowLost(String flowId) {
        for (Dialog d : dialogs.onFlow(flowId)) {
            if (d.state == Dialog.State.EARLY) {
                if (d.cancelAction != null && flowId.equals(d.caller.flowId)) {
                    d.cancelAction.run();
                }
                continue;
            }
            if (d.state != Dialog.State.CONFIRMED || d.graceTimer >= 0) {
                continue;
            }
            Dialog.Leg lost = flowId.equals(d.caller.flowId) ? d.caller : d.callee;
            LOG.infof("Connection of %s leg of %s lost; grace period %s", lost == d.caller ? "caller" : "callee", d.callId,
                    config.calls().gracePeriod());
            d.graceTimer = vertx.setTimer(Math.max(1, config.calls().gracePeriod().toMillis()), CallMdc.forCall(d.callId, t -> {
                d.graceTimer = -1;
                Flow now = transports.flow(lost.flowId);
                if (now != null && now.isOpen()) {
                    return;
                }
                sendBye(d, d.other(lost), lost);
                ended(d, 200, "ws-lost", HangupSide.SYSTEM);
            }));
        }
    }

    /** A leg came back on a new connection within the grace period (it sent an in-dialog request). */
    public void legReconnected(Dialog d, Dialog.Leg leg, Flow flow) {
        if (flow.reliable() && !flow.id().equals(leg.flowId)) {
            leg.flowId = flow.id();
            if (d.graceTimer >= 0) {
                vertx.cancelTimer(d.graceTimer);
                d.graceTimer = -1;
                LOG.infof("Leg of %s reconnected on %s", d.callId, flow);
            }
        }
    }

    private void byeBoth(Dialog d) {
        sendBye(d, d.callee, d.caller);
        sendBye(d, d.caller, d.callee);
    }

    /** Sends BYE to {@code to} in the name of {@code from} (RFC 3261 section 15.1.1). */
    public void sendBye(Dialog d, Dialog.Leg to, Dialog.Leg from) {
        if (to.contact == null || to.tag == null && to == d.callee) {
            return;
        }
        from.cseq++;
        long cseq = from.cseq + (from == d.caller ? d.cseqDelta : 0);
        SipMessage bye = EdgeBye.build(to.contact, to.routeSet, from.uri + ";tag=" + from.tag,
                to.uri + (to.tag == null ? "" : ";tag=" + to.tag), d.callId, cseq, "Call ended by the platform");
        Flow direct = transports.flow(to.flowId);
        io.vertx.core.Future<Flow> flow;
        Transport transport = Transport.valueOf(to.transport == null ? "UDP" : to.transport);
        if (direct != null && direct.isOpen()) {
            flow = io.vertx.core.Future.succeededFuture(direct);
        } else if (to.flowId != null) {
            LOG.debugf("Cannot send BYE for %s: connection %s is gone", d.callId, to.flowId);
            return;
        } else {
            flow = transports.connect(to.host, to.port, transport.isWebSocket() ? Transport.UDP : transport);
        }
        byes.send(bye, flow);
    }
}
