package io.webcall.signaling.proxy;

import io.webcall.events.HangupSide;
import io.webcall.signaling.EdgeConfig;
import io.webcall.signaling.auth.Authenticator;
import io.webcall.signaling.auth.Identity;
import io.webcall.signaling.dialog.CallControl;
import io.webcall.signaling.dialog.Dialog;
import io.webcall.signaling.dialog.DialogStore;
import io.webcall.signaling.dialog.EdgeHangupCause;
import io.webcall.signaling.dialog.TransitDialog;
import io.webcall.signaling.dialog.TransitDialogs;
import io.webcall.signaling.logging.CallMdc;
import io.webcall.signaling.media.MediaKind;
import io.webcall.signaling.media.RelayClient;
import io.webcall.signaling.registrar.Binding;
import io.webcall.signaling.registrar.LocationService;
import io.webcall.signaling.registrar.Registrar;
import io.webcall.signaling.sip.SipHeaders;
import io.webcall.signaling.sip.SipMessage;
import io.webcall.signaling.sip.SipResponses;
import io.webcall.signaling.sip.SipUri;
import io.webcall.signaling.tenant.AccountClient;
import io.webcall.signaling.tenant.Tenant;
import io.webcall.signaling.transaction.ServerTransaction;
import io.webcall.signaling.transaction.TransactionLayer;
import io.webcall.signaling.transport.Flow;
import io.webcall.signaling.transport.SipHandler;
import io.webcall.signaling.transport.SipTransports;
import io.webcall.signaling.transport.Transport;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The edge's request routing (RFC 3261 section 16): transaction matching, CANCEL, loose routing with the edge's
 * own Record-Route (16.4), registrar requests, and the routing policy — browser to same-tenant user (forking to
 * every binding), to the echo service or to the tenant's PBX trunk; PBX to the Request-URI user's devices;
 * in-dialog requests along the dialog's legs.
 */
@ApplicationScoped
public class EdgeCore implements SipHandler {

    private static final Logger LOG = Logger.getLogger(EdgeCore.class);

    @Inject
    EdgeConfig config;
    @Inject
    Proxy proxy;
    @Inject
    TransactionLayer transactions;
    @Inject
    SipTransports transports;
    @Inject
    Registrar registrar;
    @Inject
    Authenticator auth;
    @Inject
    AccountClient account;
    @Inject
    LocationService location;
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
    /** Secret shared by every service of a deployment; signs edge-to-edge routes. */
    @org.eclipse.microprofile.config.inject.ConfigProperty(name = "webcall.internal.token")
    java.util.Optional<String> internalToken;

    @Override
    public void onMessage(SipMessage msg, Flow flow) {
        MDC.put("callId", msg.callId());
        try {
            if (LOG.isDebugEnabled()) {
                LOG.debugf("<- %s from %s", msg.summary(), flow);
            }
            if (msg.isResponse()) {
                if (!transactions.onResponse(msg)) {
                    LOG.debugf("Dropping response without transaction: %s", msg.summary());
                }
            } else {
                onRequest(msg, flow);
            }
        } finally {
            MDC.remove("callId");
        }
    }

    @Override
    public void onFlowClosed(Flow flow) {
        registrar.flowClosed(flow);
        auth.flowClosed(flow);
        calls.flowLost(flow.id());
        transit.flowLost(flow.id());
    }

    /**
     * RFC 4028 section 6: an INVITE or UPDATE whose Session-Expires is below the edge's Min-SE is rejected with
     * {@code 422 Session Interval Too Small} carrying that Min-SE, so the sender retries with a larger interval.
     */
    private boolean sessionIntervalTooSmall(ServerTransaction st) {
        SipMessage req = st.request();
        if (!req.isMethod("INVITE") && !req.isMethod("UPDATE")) {
            return false;
        }
        Integer se = CallControl.sessionInterval(req);
        int min = config.calls().minSessionExpires();
        if (se == null || se >= min) {
            return false;
        }
        SipMessage r = SipResponses.create(req, 422, "Session Interval Too Small", st.localTag());
        r.add("Min-SE", String.valueOf(min));
        st.respond(r);
        return true;
    }

    private void onRequest(SipMessage req, Flow flow) {
        stampVia(req, flow);
        // removed from everything received, believed only when another edge of the deployment signed it
        String edgeCause = EdgeHangupCause.take(req, internalToken.orElse(null));
        switch (transactions.classify(req)) {
            case RETRANSMISSION, ACK_ABSORBED -> {
                return;
            }
            case ACK_PASS -> {
                forwardAck(req, flow);
                return;
            }
            default -> {
            }
        }
        if (req.isMethod("CANCEL")) {
            onCancel(req, flow);
            return;
        }
        ServerTransaction st = transactions.createServer(req, flow);
        if (req.isMethod("INVITE")) {
            st.respond(SipResponses.create(req, 100, "Trying"));
        }
        String mf = req.header("Max-Forwards");
        if (mf != null && Integer.parseInt(mf.trim()) == 0) {
            st.respond(483, "Too Many Hops");
            return;
        }
        if (sessionIntervalTooSmall(st)) {
            return;
        }
        RouteTokens tokens = popOwnRoute(req);
        if (req.toTag() != null) {
            inDialog(st, tokens, edgeCause);
            return;
        }
        if (tokens != null && tokens.calleeFlow() != null) {
            // a request another edge instance routed here for a connection this edge holds: only edges can sign that
            if (!tokens.signedBy(internalToken.orElse(null), config.kafka().instanceId())) {
                st.respond(403, "Forbidden");
                return;
            }
            toFlow(st, tokens.calleeFlow());
            return;
        }
        if (req.isMethod("REGISTER")) {
            register(st);
            return;
        }
        SipUri ruri = SipUri.parse(req.requestUri());
        if (req.isMethod("OPTIONS") && ruri != null && ruri.user() == null) {
            SipMessage ok = SipResponses.create(req, 200, "OK", st.localTag());
            ok.add("Allow", EchoService.ALLOW + ", REGISTER, MESSAGE, REFER, NOTIFY");
            ok.add("Accept", "application/sdp");
            st.respond(ok);
            return;
        }
        if (flow.transport().isWebSocket()) {
            fromUser(st);
        } else {
            account.tenantsByPbx(flow.remoteHost(), viaPort(req)).onComplete(CallMdc.wrap(ar -> {
                if (ar.failed()) {
                    st.respond(503, "Account Service Unavailable");
                } else if (!ar.result().isEmpty()) {
                    fromPbx(st, ar.result());
                } else {
                    fromUser(st);
                }
            }));
        }
    }

    /** RFC 3581: remember where a request really came from in its top Via. */
    private static void stampVia(SipMessage req, Flow flow) {
        String via = req.topVia();
        String updated = via;
        String rport = SipHeaders.param(via, "rport");
        if (rport != null && rport.isEmpty()) {
            updated = SipHeaders.withParam(updated, "rport", String.valueOf(flow.remotePort()));
        }
        String sentBy = via.substring(via.indexOf('/', via.indexOf('/') + 1) + 1).trim();
        int sp = sentBy.indexOf(' ');
        String host = sp < 0 ? sentBy : sentBy.substring(sp + 1).trim();
        host = host.split(";")[0];
        if (!host.startsWith(flow.remoteHost()) && SipHeaders.param(via, "received") == null) {
            updated = SipHeaders.withParam(updated, "received", flow.remoteHost());
        }
        if (!updated.equals(via)) {
            req.removeFirst("Via");
            req.addFirst("Via", updated);
        }
    }

    private static int viaPort(SipMessage req) {
        String via = req.topVia();
        String rport = SipHeaders.param(via, "rport");
        String[] parts = via.split(";")[0].trim().split("\\s+");
        String sentBy = parts[parts.length - 1];
        int colon = sentBy.lastIndexOf(':');
        if (colon > 0 && !sentBy.endsWith("]")) {
            try {
                return Integer.parseInt(sentBy.substring(colon + 1));
            } catch (NumberFormatException ignored) {
                // fall through
            }
        }
        if (rport != null && !rport.isEmpty()) {
            return Integer.parseInt(rport);
        }
        return 5060;
    }

    private RouteTokens popOwnRoute(SipMessage req) {
        String top = req.header("Route");
        if (top == null) {
            return null;
        }
        RouteTokens t = RouteTokens.parse(top, config.kafka().instanceId(), transports.advertisedHost(), transports.sipPort());
        if (t != null) {
            req.removeFirst("Route");
        }
        return t;
    }

    // ---------------------------------------------------------------- CANCEL (RFC 3261 section 9.2, 16.10)

    private void onCancel(SipMessage req, Flow flow) {
        ServerTransaction cancelTx = transactions.createServer(req, flow);
        ServerTransaction invite = transactions.findInviteFor(req);
        if (invite == null) {
            cancelTx.respond(481, "Call/Transaction Does Not Exist");
            return;
        }
        cancelTx.respond(SipResponses.create(req, 200, "OK", invite.localTag()));
        if (invite.finalSent()) {
            return;
        }
        if (invite.owner != null) {
            ((ProxyContext) invite.owner).cancel();
        } else {
            Dialog d = dialogs.get(req.callId());
            if (d != null && d.cancelAction != null) {
                d.cancelAction.run();
            } else {
                invite.respond(487, "Request Terminated");
                if (d != null) {
                    calls.ended(d, 487, "canceled", HangupSide.CALLER);
                }
            }
        }
    }

    // ---------------------------------------------------------------- registrar

    private void register(ServerTransaction st) {
        SipMessage req = st.request();
        auth.authenticate(req, st.flow(), true).onComplete(CallMdc.wrap(ar -> {
            if (ar.failed()) {
                LOG.warnf("Authentication backend failed: %s", ar.cause().getMessage());
                st.respond(503, "Account Service Unavailable");
                return;
            }
            if (!ar.result().ok()) {
                st.respond(ar.result().response());
                return;
            }
            st.respond(registrar.register(req, st.flow(), ar.result().identity()));
        }));
    }

    // ---------------------------------------------------------------- requests from users

    private void fromUser(ServerTransaction st) {
        SipMessage req = st.request();
        auth.authenticate(req, st.flow(), false).onComplete(CallMdc.wrap(ar -> {
            if (ar.failed()) {
                LOG.warnf("Authentication backend failed: %s", ar.cause().getMessage());
                st.respond(503, "Account Service Unavailable");
                return;
            }
            if (!ar.result().ok()) {
                st.respond(ar.result().response());
                return;
            }
            Identity id = ar.result().identity();
            account.tenantByDomain(id.domain()).onComplete(CallMdc.wrap(t -> {
                if (t.failed() || t.result() == null) {
                    st.respond(503, "Account Service Unavailable");
                    return;
                }
                routeFromUser(st, id, t.result());
            }));
        }));
    }

    private void routeFromUser(ServerTransaction st, Identity id, Tenant tenant) {
        SipMessage req = st.request();
        req.remove("Proxy-Authorization");
        SipUri ruri = SipUri.parse(req.requestUri());
        String user = ruri != null ? ruri.user() : telNumber(req.requestUri());
        boolean sameDomain = ruri != null && ruri.host().equalsIgnoreCase(tenant.domain());
        if (sameDomain && "echo".equalsIgnoreCase(user)) {
            echo.call(st, id, tenant);
            return;
        }
        if (sameDomain && user != null) {
            List<Binding> bindings = location.lookup("sip:" + user + "@" + tenant.domain());
            if (!bindings.isEmpty()) {
                fork(st, bindings, tenant, "internal", MediaKind.WEBRTC, id.aor());
                return;
            }
        }
        if (tenant.pbx() != null && user != null) {
            toPbx(st, tenant, user, id.aor());
            return;
        }
        st.respond(sameDomain ? 480 : 404, sameDomain ? "Temporarily Unavailable" : "Not Found");
    }

    private static String telNumber(String uri) {
        if (uri.toLowerCase(Locale.ROOT).startsWith("tel:")) {
            String n = uri.substring(4);
            int semi = n.indexOf(';');
            return semi < 0 ? n : n.substring(0, semi);
        }
        return null;
    }

    private void fromPbx(ServerTransaction st, List<Tenant> tenants) {
        SipMessage req = st.request();
        SipUri ruri = SipUri.parse(req.requestUri());
        if (ruri == null || ruri.user() == null) {
            st.respond(404, "Not Found");
            return;
        }
        for (Tenant tenant : tenants) {
            List<Binding> bindings = location.lookup("sip:" + ruri.user() + "@" + tenant.domain());
            if (!bindings.isEmpty()) {
                fork(st, bindings, tenant, "inbound", MediaKind.RTP, null);
                return;
            }
        }
        st.respond(480, "Temporarily Unavailable");
    }

    private void fork(ServerTransaction st, List<Binding> bindings, Tenant tenant, String direction, MediaKind sourceKind,
                      String callerAor) {
        SipMessage req = st.request();
        List<Target> targets = new ArrayList<>();
        for (Binding b : bindings) {
            Target t = targetFor(b);
            if (t != null) {
                targets.add(t);
            }
        }
        if (targets.isEmpty()) {
            st.respond(480, "Temporarily Unavailable");
            return;
        }
        Dialog d = null;
        if (req.isMethod("INVITE")) {
            d = calls.initiated(req, st.flow(), sourceKind, tenant.id(), direction, callerAor);
            d.callee.user = bindings.get(0).aor();
        }
        ProxyContext ctx = proxy.context(st, d, req.isMethod("INVITE"), true, sourceKind);
        if (d != null) {
            d.cancelAction = ctx::cancel;
        }
        startWithMedia(ctx, d, targets, MediaKind.WEBRTC);
    }

    private Target targetFor(Binding b) {
        Transport transport = Transport.valueOf(b.transport());
        MediaKind kind = transport.isWebSocket() ? MediaKind.WEBRTC : MediaKind.RTP;
        if (config.kafka().instanceId().equals(b.edgeId())) {
            if (transport == Transport.UDP) {
                return new Target(b.contact(), null, b.sourceHost(), b.sourcePort(), Transport.UDP, List.of(), kind, null);
            }
            Flow f = transports.flow(b.flowId());
            if (f == null || !f.isOpen()) {
                return null;
            }
            return new Target(b.contact(), b.flowId(), null, 0, transport, List.of(), kind, null);
        }
        SipUri edge = SipUri.parse(b.edgeSipUri());
        if (edge == null) {
            return null;
        }
        // the edge holding the user's connection: proxy there, naming the connection with its flow token
        if (internalToken.isEmpty()) {
            return null; // the other edge accepts only routes signed with the shared service-to-service secret
        }
        String route = "<" + b.edgeSipUri() + ";lr;" + RouteTokens.EDGE_PARAM + "=" + b.edgeId() + ";ttok=" + b.flowId()
                + ";" + RouteTokens.SIGNATURE_PARAM + "=" + RouteTokens.sign(internalToken.get(), b.edgeId(), b.flowId()) + ">";
        Transport toEdge = Transport.forUri(edge.transport());
        return new Target(b.contact(), null, edge.host(), edge.portOrDefault(), toEdge, List.of(route), kind, null);
    }

    private void toPbx(ServerTransaction st, Tenant tenant, String user, String callerAor) {
        SipMessage req = st.request();
        SipUri pbx = SipUri.parse(tenant.pbx().uri());
        if (pbx == null) {
            st.respond(500, "Tenant PBX Trunk Misconfigured");
            return;
        }
        String trunkTransport = tenant.pbx().transport() == null ? "udp" : tenant.pbx().transport().toLowerCase(Locale.ROOT);
        if ("sips".equals(pbx.scheme())) {
            trunkTransport = "tls"; // RFC 3261 section 26.2: a SIPS URI is reached over TLS only
        }
        if (!trunkTransport.equals("udp") && !trunkTransport.equals("tcp") && !trunkTransport.equals("tls")) {
            st.respond(503, "Trunk Transport " + trunkTransport.toUpperCase(Locale.ROOT) + " Not Supported");
            return;
        }
        Transport transport = Transport.forUri(trunkTransport);
        String ruri = ("sips".equals(pbx.scheme()) ? "sips:" : "sip:") + user + "@" + pbx.host() + (pbx.port() > 0 ? ":" + pbx.port() : "")
                + (transport == Transport.TCP ? ";transport=tcp" : transport == Transport.TLS && !"sips".equals(pbx.scheme()) ? ";transport=tls" : "");
        Target t = new Target(ruri, null, pbx.host(), pbx.portOrDefault(), transport, List.of(), MediaKind.RTP, tenant.pbx());
        Dialog d = null;
        if (req.isMethod("INVITE")) {
            d = calls.initiated(req, st.flow(), MediaKind.WEBRTC, tenant.id(), "outbound", callerAor);
        }
        ProxyContext ctx = proxy.context(st, d, req.isMethod("INVITE"), true, MediaKind.WEBRTC);
        if (d != null) {
            d.cancelAction = ctx::cancel;
        }
        startWithMedia(ctx, d, List.of(t), MediaKind.RTP);
    }

    private void startWithMedia(ProxyContext ctx, Dialog d, List<Target> targets, MediaKind targetKind) {
        ctx.prepareMedia(targetKind, ctx.original.fromTag()).onComplete(CallMdc.wrap(ar -> {
            if (ar.failed()) {
                LOG.warnf("Relay rejected the offer of %s: %s", ctx.original.callId(), ar.cause().getMessage());
                ctx.st.respond(ctx.original.isMethod("INVITE") ? 488 : 500, "Media Relay Failure");
                if (d != null) {
                    calls.ended(d, 488, "media-relay-failure", HangupSide.SYSTEM);
                }
                return;
            }
            ctx.start(targets);
        }));
    }

    private void toFlow(ServerTransaction st, String flowId) {
        Flow f = transports.flow(flowId);
        if (f == null) {
            st.respond(480, "Temporarily Unavailable");
            return;
        }
        ProxyContext ctx = proxy.context(st, null, false, true, MediaKind.WEBRTC);
        if (st.request().isMethod("INVITE")) {
            // the owning edge keeps the call; this edge remembers enough to end it if this connection is lost
            ctx.transit = transit.started(st.request(), st.flow(), flowId);
        }
        ctx.start(List.of(new Target(st.request().requestUri(), flowId, null, 0, f.transport(), List.of(), MediaKind.WEBRTC, null)));
    }

    // ---------------------------------------------------------------- in-dialog requests

    private void inDialog(ServerTransaction st, RouteTokens tokens, String edgeCause) {
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
            startWithMedia(ctx, null, List.of(target), target.kind());
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

    /** ACK for a 2xx: a request of its own, forwarded statelessly along the dialog (RFC 3261 section 16.11 style). */
    private void forwardAck(SipMessage req, Flow flow) {
        RouteTokens tokens = popOwnRoute(req);
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
