package io.webcall.signaling.proxy;

import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.webcall.signaling.EdgeConfig;
import io.webcall.signaling.dialog.CallControl;
import io.webcall.signaling.dialog.Dialog;
import io.webcall.signaling.events.CallEvents;
import io.webcall.signaling.media.MediaKind;
import io.webcall.signaling.media.RelayClient;
import io.webcall.signaling.sip.SipMessage;
import io.webcall.signaling.sip.SipResponses;
import io.webcall.signaling.transaction.ServerTransaction;
import io.webcall.signaling.transaction.TransactionLayer;
import io.webcall.signaling.transport.Flow;
import io.webcall.signaling.transport.SipServerLocator;
import io.webcall.signaling.transport.SipTransports;
import io.webcall.signaling.transport.Transport;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * Shared machinery of the stateful proxy (RFC 3261 section 16.6): building the forwarded copy of a request for
 * a branch (Request-URI, Max-Forwards, Record-Route with flow tokens, Via, Route, rewritten body) and resolving
 * a branch's next hop to a flow.
 */
@ApplicationScoped
public class Proxy {

    @Inject
    Vertx vertx;
    @Inject
    EdgeConfig config;
    @Inject
    SipTransports transports;
    @Inject
    SipServerLocator locator;
    @Inject
    TransactionLayer transactions;
    @Inject
    RelayClient relay;
    @Inject
    CallEvents events;
    @Inject
    CallControl calls;
    @Inject
    io.webcall.signaling.dialog.TransitDialogs transit;
    @Inject
    MeterRegistry metrics;
    @Inject
    MediaAnchoring media;
    @Inject
    BranchRetries retries;

    /**
     * A fresh Via for a request the edge sends over {@code transport} (RFC 3261 section 16.6 step 8, RFC 3581 rport);
     * over TLS it names the TLS listener when it runs (RFC 3261 sections 18.2.2 and 26.2).
     */
    public String via(Transport transport) {
        return "SIP/2.0/" + transport.viaToken() + " " + transports.advertisedHost() + ":" + transports.portFor(transport)
                + ";branch=" + SipResponses.newBranch() + ";rport";
    }

    /** The forwarded copy of the context's request for one branch. */
    SipMessage buildBranchRequest(ProxyContext ctx, Branch b) {
        SipMessage req = ctx.original.copy();
        req.setRequestUri(b.target.requestUri());
        String mf = req.header("Max-Forwards");
        int maxForwards = 70;
        if (mf != null) {
            maxForwards = Integer.parseInt(mf.trim()) - 1;
        }
        req.set("Max-Forwards", String.valueOf(maxForwards));
        if (ctx.initialInvite || (ctx.dialog == null && req.toTag() == null && recordRoutes(req.method()))) {
            String callerFlow = ctx.st.flow().reliable() ? ctx.st.flow().id() : null;
            Transport src = ctx.st.flow().transport();
            Transport dst = b.target.transport();
            String transport = dst == Transport.TCP || (src == Transport.TCP && dst != Transport.UDP) ? "tcp"
                    : src.isWebSocket() && dst.isWebSocket() ? "ws" : "udp";
            int port = transports.sipPort();
            if (dst == Transport.TLS || src == Transport.TLS && dst != Transport.TCP) {
                // RFC 3261 section 26.2: a hop secured by TLS is record-routed so that it stays TLS (the TLS listener);
                // without that listener, the TCP one
                transport = transports.tlsListening() ? "tls" : "tcp";
                port = transports.portFor(transports.tlsListening() ? Transport.TLS : Transport.TCP);
            }
            req.addFirst("Record-Route", RouteTokens.recordRoute(transports.advertisedHost(), port,
                    transport, config.kafka().instanceId(), callerFlow, b.target.flowId()));
        }
        for (int i = b.target.routes().size() - 1; i >= 0; i--) {
            req.addFirst("Route", b.target.routes().get(i));
        }
        req.addFirst("Via", via(b.target.transport()));
        long delta = ctx.dialogCseqDelta();
        if (delta != 0) {
            req.set("CSeq", (req.cseqNumber() + delta) + " " + req.cseqMethod());
            String rack = req.isMethod("PRACK") ? req.header("RAck") : null;
            if (rack != null) {
                req.set("RAck", RAck.shifted(rack, delta));
            }
        }
        if (ctx.forwardedBody != null) {
            req.setBody(ctx.forwardedContentType, ctx.forwardedBody);
        }
        return req;
    }

    private static boolean recordRoutes(String method) {
        return method.equals("INVITE") || method.equals("SUBSCRIBE") || method.equals("REFER");
    }

    /**
     * The flow a branch goes out on: the browser's connection, or UDP/TCP/TLS toward host:port; a host without a port
     * is located in DNS first (RFC 3263 section 4.2, {@link SipServerLocator}).
     */
    Future<Flow> resolve(Target t) {
        if (t.flowId() != null) {
            Flow f = transports.flow(t.flowId());
            return Future.succeededFuture(f);
        }
        return locator.connect(t.host(), t.port(), t.transport(),
                hop -> transports.connect(hop.address(), hop.port(), t.transport(), hop.serverName()));
    }

    /** Starts a response context for a request and its targets. */
    ProxyContext context(ServerTransaction st, Dialog dialog, boolean initialInvite, boolean towardCallee, MediaKind sourceKind) {
        return new ProxyContext(this, st, dialog, initialInvite, towardCallee, sourceKind);
    }
}
