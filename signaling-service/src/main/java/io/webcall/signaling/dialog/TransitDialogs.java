package io.webcall.signaling.dialog;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.webcall.signaling.EdgeConfig;
import io.webcall.signaling.logging.CallMdc;
import io.webcall.signaling.sip.SipHeaders;
import io.webcall.signaling.sip.SipMessage;
import io.webcall.signaling.sip.SipUri;
import io.webcall.signaling.transport.Flow;
import io.webcall.signaling.transport.SipTransports;
import io.webcall.signaling.transport.Transport;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Dialogs relayed for another edge ({@link TransitDialog}): created when an INVITE routed here by the owning edge
 * is forwarded to a local connection, confirmed by its 2xx, removed by a failed INVITE (CANCEL included) and by the
 * final response to a BYE. When the callee's connection closes mid-call the edge waits the grace period
 * ({@code webcall.edge.calls.grace-period}) and then sends BYE toward the caller along the recorded route set
 * (RFC 3261 section 15.1.1), so the owning edge ends the call (BYE to the caller, {@code ended} event with the cause
 * signed in {@link EdgeHangupCause}, relay freed).
 * A request from the callee on a new connection within the grace period keeps the call. A call with a session timer
 * (RFC 4028) whose refreshes stop passing through here (the owning edge died without a BYE) is ended with BYE to the
 * callee (and toward the caller) once its session interval lapses. Gauge {@code webcall_edge_transit_dialogs}. Used
 * only from the core event loop.
 */
@ApplicationScoped
public class TransitDialogs {

    private static final Logger LOG = Logger.getLogger(TransitDialogs.class);

    @Inject
    EdgeBye byes;
    @Inject
    Vertx vertx;
    @Inject
    EdgeConfig config;
    @Inject
    MeterRegistry metrics;
    @Inject
    SipTransports transports;

    static final String CONNECTION_LOST = "Connection lost";
    static final String SESSION_EXPIRED = "Session timer expired";

    /** By Call-ID; several when the owning edge forked one call to several connections of this edge. */
    private final Map<String, List<TransitDialog>> byCallId = new HashMap<>();
    private int count;

    void onStart(@Observes StartupEvent ev) {
        metrics.gauge("webcall_edge_transit_dialogs", this, TransitDialogs::size);
    }

    /** Number of transit dialogs held. */
    public int size() {
        return count;
    }

    /** An INVITE from the owning edge is forwarded to the local connection {@code calleeFlowId}. */
    public TransitDialog started(SipMessage invite, Flow from, String calleeFlowId) {
        TransitDialog t = new TransitDialog(invite.callId(), invite.fromTag(), SipHeaders.withoutParam(invite.header("From"), "tag"),
                SipHeaders.uri(invite.header("Contact")), from.reliable() ? from.id() : null, calleeFlowId);
        t.callerCseq = invite.cseqNumber();
        byCallId.computeIfAbsent(t.callId, k -> new ArrayList<>(1)).add(t);
        count++;
        return t;
    }

    /**
     * The callee's 2xx to the INVITE: its tag and identity, and the route set toward the caller — the Record-Route
     * entries after this edge's own (RFC 3261 section 12.1.2, as the callee sees them in reverse).
     */
    public void confirmed(TransitDialog t, SipMessage response) {
        t.state = TransitDialog.State.CONFIRMED;
        t.calleeTag = response.toTag();
        t.calleeUri = SipHeaders.withoutParam(response.header("To"), "tag");
        t.calleeContact = response.header("Contact") == null ? null : SipHeaders.uri(response.header("Contact"));
        List<String> rr = new ArrayList<>();
        for (String v : response.headers("Record-Route")) {
            rr.addAll(SipHeaders.splitComma(v));
        }
        t.callerRouteSet = new ArrayList<>();
        boolean afterOurs = false;
        for (String r : rr) {
            if (afterOurs) {
                t.callerRouteSet.add(r.trim());
                continue;
            }
            SipUri u = SipUri.parse(SipHeaders.uri(r));
            afterOurs = u != null && config.kafka().instanceId().equals(u.param("wcedge"));
        }
        refreshed(t, response);
        // a callee that dropped before answering: its connection is already gone
        Flow callee = transports.flow(t.calleeFlowId);
        if (callee == null || !callee.isOpen()) {
            flowLost(t.calleeFlowId);
        }
    }

    /**
     * A 2xx to the INVITE or to a session refresh (re-INVITE or UPDATE, RFC 4028 section 10) passed through: the dialog
     * lives another session interval, taken from the 2xx's Session-Expires and never below the edge's Min-SE (as the
     * owning edge's own timer does). Without a refresh in that time the owning edge is gone (it would have refreshed,
     * or ended the call itself at Session-Expires + 2 s): the edge waits a little longer than the owning edge would,
     * then sends BYE to the callee and toward the caller and forgets the dialog. A call without a session timer
     * keeps its transit dialog until BYE or until the callee's connection is lost.
     */
    public void refreshed(TransitDialog t, SipMessage response) {
        Integer se = CallControl.sessionInterval(response);
        if (se != null && se > 0) {
            t.sessionExpires = Math.max(se, config.calls().minSessionExpires());
        }
        if (t.sessionTimer >= 0) {
            vertx.cancelTimer(t.sessionTimer);
            t.sessionTimer = -1;
        }
        if (t.sessionExpires <= 0 || t.state != TransitDialog.State.CONFIRMED) {
            return;
        }
        t.sessionTimer = vertx.setTimer(t.sessionExpires * 1000L + CallControl.EXPIRY_MARGIN_MS + 3_000L, CallMdc.forCall(t.callId, x -> {
            t.sessionTimer = -1;
            LOG.infof("Session timer of relayed call %s expired without refresh (%d s): the owning edge is gone; ending it",
                    t.callId, t.sessionExpires);
            sendByeToCallee(t, SESSION_EXPIRED);
            sendByeTowardCaller(t, SESSION_EXPIRED, EdgeHangupCause.SESSION_TIMER_EXPIRED);
            remove(t);
        }));
    }

    /** A request from the caller (through the owning edge): note its CSeq. */
    public void fromCaller(TransitDialog t, SipMessage req) {
        t.callerCseq = Math.max(t.callerCseq, req.cseqNumber());
    }

    /** The transit dialog an in-dialog request with these tags belongs to, or null. */
    public TransitDialog find(String callId, String fromTag, String toTag) {
        List<TransitDialog> list = byCallId.get(callId);
        if (list == null) {
            return null;
        }
        for (TransitDialog t : list) {
            if (t.matches(fromTag, toTag)) {
                return t;
            }
        }
        return null;
    }

    /** A request from the callee: note its CSeq and, when it came on a new connection, that it reconnected. */
    public void fromCallee(TransitDialog t, SipMessage req, Flow flow) {
        t.calleeCseq = Math.max(t.calleeCseq, req.cseqNumber());
        if (flow.reliable() && !flow.id().equals(t.calleeFlowId)) {
            t.calleeFlowId = flow.id();
            if (t.graceTimer >= 0) {
                vertx.cancelTimer(t.graceTimer);
                t.graceTimer = -1;
                LOG.infof("Callee of relayed call %s reconnected on %s", t.callId, flow);
            }
        }
    }

    /** The dialog ended (BYE answered, INVITE failed or cancelled); idempotent. */
    public void remove(TransitDialog t) {
        List<TransitDialog> list = byCallId.get(t.callId);
        if (list != null && list.remove(t)) {
            count--;
            if (list.isEmpty()) {
                byCallId.remove(t.callId);
            }
        }
        if (t.graceTimer >= 0) {
            vertx.cancelTimer(t.graceTimer);
            t.graceTimer = -1;
        }
        if (t.sessionTimer >= 0) {
            vertx.cancelTimer(t.sessionTimer);
            t.sessionTimer = -1;
        }
    }

    /** A connection closed: answered calls relayed to it get the grace period, then BYE toward the caller. */
    public void flowLost(String flowId) {
        if (flowId == null || count == 0) {
            return;
        }
        for (List<TransitDialog> list : byCallId.values()) {
            for (TransitDialog t : list) {
                if (!flowId.equals(t.calleeFlowId) || t.state != TransitDialog.State.CONFIRMED || t.graceTimer >= 0) {
                    continue;
                }
                LOG.infof("Connection of the callee of relayed call %s lost; grace period %s", t.callId, config.calls().gracePeriod());
                t.graceTimer = vertx.setTimer(Math.max(1, config.calls().gracePeriod().toMillis()), CallMdc.forCall(t.callId, x -> {
                    t.graceTimer = -1;
                    Flow now = transports.flow(t.calleeFlowId);
                    if (now != null && now.isOpen()) {
                        return;
                    }
                    sendByeTowardCaller(t, CONNECTION_LOST, EdgeHangupCause.WS_LOST);
                    remove(t);
                }));
            }
        }
    }

    /**
     * BYE in the callee's name toward the caller (RFC 3261 section 15.1.1): Request-URI the caller's Contact, Route
     * the caller-side route set, sent on the connection the INVITE came on or else to the first route hop.
     */
    void sendByeTowardCaller(TransitDialog t, String reason, String cause) {
        if (t.callerContact == null) {
            return;
        }
        t.calleeCseq++;
        SipMessage bye = EdgeBye.build(t.callerContact, t.callerRouteSet, t.calleeUri + ";tag=" + t.calleeTag,
                t.callerUri + ";tag=" + t.callerTag, t.callId, t.calleeCseq, reason);
        Flow came = transports.flow(t.callerFlowId);
        Future<Flow> flow;
        if (came != null && came.isOpen()) {
            flow = Future.succeededFuture(came);
        } else {
            String next = t.callerRouteSet.isEmpty() ? t.callerContact : SipHeaders.uri(t.callerRouteSet.get(0));
            SipUri hop = SipUri.parse(next);
            if (hop == null) {
                LOG.warnf("Cannot send BYE for relayed call %s: no route toward the caller", t.callId);
                return;
            }
            flow = transports.connect(hop.host(), hop.portOrDefault(), Transport.forUri(hop.transport()));
        }
        LOG.infof("Ending relayed call %s: BYE toward the caller", t.callId);
        byes.sendToOwningEdge(bye, flow, cause);
    }

    /**
     * BYE in the caller's name to the callee (RFC 3261 section 15.1.1), on the callee's connection: Request-URI the
     * callee's Contact, the caller's next CSeq. No Route: the callee is this edge's own connection.
     */
    void sendByeToCallee(TransitDialog t, String reason) {
        Flow callee = transports.flow(t.calleeFlowId);
        if (t.calleeContact == null || callee == null || !callee.isOpen()) {
            return;
        }
        t.callerCseq++;
        SipMessage bye = EdgeBye.build(t.calleeContact, List.of(), t.callerUri + ";tag=" + t.callerTag,
                t.calleeUri + ";tag=" + t.calleeTag, t.callId, t.callerCseq, reason);
        LOG.infof("Ending relayed call %s: BYE to the callee", t.callId);
        byes.send(bye, Future.succeededFuture(callee));
    }
}
