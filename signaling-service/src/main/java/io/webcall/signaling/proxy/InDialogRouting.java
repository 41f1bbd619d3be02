package io.webcall.signaling.proxy;

import io.webcall.signaling.dialog.CallControl;
import io.webcall.signaling.dialog.Dialog;
import io.webcall.signaling.dialog.DialogStore;
import io.webcall.signaling.dialog.TransitDialog;
import io.webcall.signaling.dialog.TransitDialogs;
import io.webcall.signaling.logging.CallMdc;
import io.webcall.signaling.media.MediaKind;
import io.webcall.signaling.media.RelayClient;
import io.webcall.signaling.sip.SipHeaders;
import io.webcall.signaling.sip.SipMessage;
import io.webcall.signaling.sip.SipUri;
import io.webcall.signaling.tenant.Tenant;
import io.webcall.signaling.transaction.ServerTransaction;
import io.webcall.signaling.transport.Flow;
import io.webcall.signaling.transport.SipTransports;
import io.webcall.signaling.transport.Transport;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.util.List;

/**
 * Routing of requests within a dialog (RFC 3261 section 12.2) the edge record-routed, which arrive with the edge's
 * own Route (section 16.4): along the legs of a call the edge owns, or by the flow tokens of that Route for a dialog
 * relayed for another edge; the ACK for a 2xx is forwarded statelessly. The answer to a delayed offer that comes in
 * a PRACK or in that ACK (RFC 3262 section 5, RFC 3264 section 5) goes to the relay on the way.
 */
@ApplicationScoped
public class InDialogRouting {

    private static final Logger LOG = Logger.getLogger(InDialogRouting.class);

    @Inject
    Proxy proxy;
    @Inject
    MediaAnchoring media;
    @Inject
    SipTransports transports;
    @Inject
    DialogStore dialogs;
    @Inject
    CallControl calls;
    @Inject
    TransitDialogs transit;
    @Inject
    EchoService echo;
    @Inject
    RelayClient relay;

    /**
     * A request within a dialog (it has a To tag): to the dialog's other leg, or along the edge's own Record-Route
     * ({@code tokens}, already removed) for a dialog relayed for another edge; {@code 481} for a dialog the edge is not
     * part of. {@code edgeCause} is the signed cause of a BYE another edge sent.
     */
    void inDialog(ServerTransaction st, RouteTokens tokens, String edgeCause) {
        SipMessage req = st.request();
        Dialog d = dialogs.get(req.callId());
        if (d != null && d.echo) {
            echo.inDialog(st, d);
            return;
        }
        Target target = inDialogTarget(req, st.flow(), d, tokens);
        if (target == null) {
            st.respond(481, "Call/Transaction Does Not Exist");
            return;
        }
        boolean towardCallee = d == null || d.fromCaller(req.fromTag());
        TransitDialog relayed = d == null ? transit.find(req.callId(), req.fromTag(), req.toTag()) : null;
        if (relayed != null && relayed.fromCallee(req.fromTag())) {
            transit.fromCallee(relayed, req, st.flow());
        } else if (relayed != null) {
            transit.fromCaller(relayed, req);
        }
        MediaKind sourceKind = MediaKind.WEBRTC;
        if (d != null) {
            Dialog.Leg from = towardCallee ? d.caller : d.callee;
            sourceKind = from.kind == null ? MediaKind.WEBRTC : from.kind;
            if (from.flowId != null) {
                calls.legReconnected(d, from, st.flow());
            }
            from.cseq = Math.max(from.cseq, req.cseqNumber());
        }
        ProxyContext ctx = proxy.context(st, d, false, towardCallee, sourceKind);
        if (req.isMethod("BYE")) {
            ctx.edgeCause = edgeCause;
        }
        if (relayed != null && req.isMethod("BYE")) {
            ctx.transit = relayed;
        } else if (relayed != null && (req.isMethod("INVITE") || req.isMethod("UPDATE"))) {
            ctx.transitRefresh = relayed;
        }
        boolean offer = d != null && (req.isMethod("INVITE") || req.isMethod("UPDATE")) && req.hasBody();
        Dialog.DelayedOffer pending = d == null ? null : d.delayedOffer;
        if (pending != null && !pending.answered() && req.isMethod("PRACK") && req.hasBody()
                && pending.offererTag().equals(req.toTag())) {
            answerInPrack(ctx, d, pending, target);
        } else if (pending != null && !pending.answered() && req.isMethod("PRACK") && !req.hasBody()
                && pending.offererTag().equals(req.toTag()) && d.fromCaller(req.fromTag()) && d.caller.sdp != null) {
            keepCallerSession(d, pending);
            ctx.start(List.of(target));
        } else if (offer) {
            media.startWithMedia(ctx, null, List.of(target), target.kind());
        } else {
            ctx.start(List.of(target));
        }
    }

    /**
     * RFC 3262 section 5 with RFC 3264: the offer came in a reliable provisional response to an INVITE without SDP,
     * so the PRACK carries the answer. It goes to the relay's answer API like the answer in an ACK; the PRACK is
     * forwarded with the relay's rewrite (RAck and the rest untouched). 2xx copies repeating the offer keep reusing
     * its rewrite, so the offer stays remembered as answered.
     */
    private void answerInPrack(ProxyContext ctx, Dialog d, Dialog.DelayedOffer pending, Target target) {
        SipMessage prack = ctx.original;
        d.delayedOffer = pending.asAnswered();
        if (d.fromCaller(prack.fromTag())) {
            d.caller.sdp = prack.bodyText();
        }
        relay.answer(d.callId, prack.bodyText(), pending.answererKind(), pending.offererKind(), pending.offererTag(),
                prack.fromTag()).onComplete(CallMdc.wrap(ar -> {
                    if (ar.failed()) {
                        LOG.warnf("Relay rejected the answer in the PRACK of %s: %s", d.callId, ar.cause().getMessage());
                        d.delayedOffer = pending;
                        ctx.st.respond(488, "Not Acceptable Here");
                        return;
                    }
                    ctx.forwardedBody = ar.result();
                    ctx.forwardedContentType = "application/sdp";
                    ctx.start(List.of(target));
                }));
    }

    /**
     * The UAC acknowledged a reliable provisional response carrying a later offer without answering it: it keeps the
     * session it has and ignores that description (RFC 3261 section 13.2.1 and RFC 6337 section 3.1: no offer/answer
     * after the first one in the INVITE transaction; SIP.js does so). The relay already follows the UAS's new media
     * from its offer; its pending offer is completed with the session description the UAC still uses, so both legs are
     * connected with the formats they now have in common. The PRACK goes on unchanged.
     */
    private void keepCallerSession(Dialog d, Dialog.DelayedOffer pending) {
        d.delayedOffer = pending.asAnswered();
        relay.answer(d.callId, d.caller.sdp, pending.answererKind(), pending.offererKind(), pending.offererTag(), d.caller.tag)
                .onFailure(CallMdc.wrap(e -> LOG.warnf("Relay rejected the caller's unchanged session for the unanswered offer of %s: %s",
                        d.callId, e.getMessage())));
    }

    /** Where an in-dialog request goes: the other leg's connection, the remaining Route, or the Request-URI. */
    private Target inDialogTarget(SipMessage req, Flow flow, Dialog d, RouteTokens tokens) {
        String flowId = null;
        MediaKind kind = MediaKind.RTP;
        Tenant.Trunk trunk = null;
        if (d != null && d.state != Dialog.State.TERMINATED || d != null && req.isMethod("BYE")) {
            Dialog.Leg to = d.fromCaller(req.fromTag()) ? d.callee : d.caller;
            kind = to.kind == null ? MediaKind.RTP : to.kind;
            if (to.flowId != null) {
                flowId = to.flowId;
            } else if (d.state == Dialog.State.EARLY && tokens != null && to == d.callee) {
                // early dialog (PRACK, UPDATE before the answer): the callee leg is known only by its flow token
                flowId = tokens.calleeFlow() != null && !tokens.calleeFlow().equals(flow.id()) ? tokens.calleeFlow() : null;
            }
        } else if (tokens != null) {
            TransitDialog relayed = transit.find(req.callId(), req.fromTag(), req.toTag());
            if (relayed != null) {
                // a dialog relayed for another edge: the callee may be on a new connection since it reconnected
                flowId = relayed.fromCallee(req.fromTag()) ? tokens.callerFlow() : relayed.calleeFlowId;
            } else if (tokens.calleeFlow() != null && !tokens.calleeFlow().equals(flow.id())) {
                flowId = tokens.calleeFlow();
            } else if (tokens.callerFlow() != null && !tokens.callerFlow().equals(flow.id())) {
                flowId = tokens.callerFlow();
            }
            Flow tokenFlow = transports.flow(flowId);
            if (flowId != null && (tokenFlow == null || !tokenFlow.isOpen()) && flowId.startsWith("tcp")) {
                // a TCP connection between edges closed: the remaining Route (or the Request-URI) still leads there
                flowId = null;
            }
            if (flowId != null) {
                kind = tokenFlow != null && !tokenFlow.transport().isWebSocket() ? MediaKind.RTP : MediaKind.WEBRTC;
            }
        } else {
            // neither a known call nor the edge's own Record-Route: not a dialog the edge is part of (no open relay)
            return null;
        }
        if (flowId != null) {
            Flow f = transports.flow(flowId);
            Transport t = f == null ? Transport.WS : f.transport();
            return new Target(req.requestUri(), flowId, null, 0, t, List.of(), kind, trunk);
        }
        String next = req.header("Route") != null ? SipHeaders.uri(req.header("Route")) : req.requestUri();
        SipUri hop = SipUri.parse(next);
        if (hop == null || hop.host().endsWith(".invalid")) {
            return null;
        }
        Transport t = Transport.forUri(hop.transport());
        return new Target(req.requestUri(), null, hop.host(), hop.portOrDefault(), t, List.of(), kind, trunk);
    }

    /**
     * ACK for a 2xx: a request of its own, forwarded statelessly along the dialog (RFC 3261 section 16.11 style).
     * {@code tokens} are those of the edge's own Route, already removed from the ACK.
     */
    void forwardAck(SipMessage req, Flow flow, RouteTokens tokens) {
        Dialog d = dialogs.get(req.callId());
        if (d != null && d.echo) {
            return;
        }
        Target target = inDialogTarget(req, flow, d, tokens);
        if (target == null) {
            LOG.debugf("Dropping ACK without route: %s", req.summary());
            return;
        }
        SipMessage ack = req.copy();
        String mf = ack.header("Max-Forwards");
        ack.set("Max-Forwards", String.valueOf(mf == null ? 70 : Math.max(0, Integer.parseInt(mf.trim()) - 1)));
        if (d != null && d.fromCaller(req.fromTag()) && d.cseqDelta != 0) {
            ack.set("CSeq", (ack.cseqNumber() + d.cseqDelta) + " ACK");
        }
        Dialog.DelayedOffer pending = d == null ? null : d.delayedOffer;
        if (pending != null && !pending.answered() && ack.hasBody() && req.fromTag() != null
                && !req.fromTag().equals(pending.offererTag())) {
            // RFC 3264 section 5 / RFC 3261 section 13.2.1: the answer to an offer made in a 2xx comes in the ACK
            d.delayedOffer = null;
            relay.answer(d.callId, ack.bodyText(), pending.answererKind(), pending.offererKind(), pending.offererTag(),
                    req.fromTag()).onComplete(CallMdc.wrap(ar -> {
                        if (ar.failed()) {
                            LOG.warnf("Relay rejected the answer in the ACK of %s: %s", d.callId, ar.cause().getMessage());
                            calls.terminate(d, 488, "media-relay-failure");
                            return;
                        }
                        ack.setBody("application/sdp", ar.result());
                        sendAck(ack, target);
                    }));
            return;
        }
        sendAck(ack, target);
    }

    private void sendAck(SipMessage ack, Target target) {
        proxy.resolve(target).onSuccess(CallMdc.wrap(f -> {
            if (f == null || !f.isOpen()) {
                return;
            }
            ack.addFirst("Via", proxy.via(f.transport()));
            f.send(ack);
        }));
    }
}
