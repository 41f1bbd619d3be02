package io.webcall.signaling.proxy;

import io.webcall.signaling.EdgeConfig;
import io.webcall.signaling.auth.Authenticator;
import io.webcall.signaling.dialog.CallControl;
import io.webcall.signaling.dialog.EdgeHangupCause;
import io.webcall.signaling.dialog.TransitDialogs;
import io.webcall.signaling.logging.CallMdc;
import io.webcall.signaling.registrar.RegisterRequests;
import io.webcall.signaling.registrar.Registrar;
import io.webcall.signaling.sip.SipHeaders;
import io.webcall.signaling.sip.SipMessage;
import io.webcall.signaling.sip.SipResponses;
import io.webcall.signaling.sip.SipUri;
import io.webcall.signaling.tenant.AccountClient;
import io.webcall.signaling.transaction.ServerTransaction;
import io.webcall.signaling.transaction.TransactionLayer;
import io.webcall.signaling.transport.Flow;
import io.webcall.signaling.transport.SipHandler;
import io.webcall.signaling.transport.SipTransports;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

/**
 * Where every SIP message the edge receives goes (RFC 3261 section 16): a response to its client transaction, a
 * request, once its Via records where it came from (RFC 3581), past transaction matching, Max-Forwards and the
 * session-interval floor, and with the edge's own Route removed (16.4), to the part that handles it: CANCEL
 * ({@link CancelHandler}), in-dialog requests ({@link InDialogRouting}), requests another edge sent for a
 * connection here ({@link EdgeRoutes}), REGISTER ({@link RegisterRequests}), and new requests by their source: a
 * tenant's PBX trunk ({@link PbxRouting}) or a user ({@link UserRouting}).
 */
@ApplicationScoped
public class EdgeCore implements SipHandler {

    private static final Logger LOG = Logger.getLogger(EdgeCore.class);

    @Inject
    EdgeConfig config;
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
    CallControl calls;
    @Inject
    TransitDialogs transit;
    @Inject
    CancelHandler cancels;
    @Inject
    InDialogRouting inDialog;
    @Inject
    EdgeRoutes edges;
    @Inject
    RegisterRequests registrations;
    @Inject
    UserRouting users;
    @Inject
    PbxRouting pbx;
    /** Secret shared by every service of a deployment; signs what one edge tells another (here: why it hung up). */
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
                inDialog.forwardAck(req, flow, popOwnRoute(req));
                return;
            }
            default -> {
            }
        }
        if (req.isMethod("CANCEL")) {
            cancels.onCancel(req, flow);
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
            inDialog.inDialog(st, tokens, edgeCause);
            return;
        }
        if (tokens != null && tokens.calleeFlow() != null) {
            edges.fromEdge(st, tokens);
            return;
        }
        if (req.isMethod("REGISTER")) {
            registrations.register(st);
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
            users.fromUser(st);
        } else {
            account.tenantsByPbx(flow.remoteHost(), viaPort(req)).onComplete(CallMdc.wrap(ar -> {
                if (ar.failed()) {
                    st.respond(503, "Account Service Unavailable");
                } else if (!ar.result().isEmpty()) {
                    pbx.fromPbx(st, ar.result());
                } else {
                    users.fromUser(st);
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

    /** The port in the sent-by of the top Via (else its rport, else 5060): with the source host, names a PBX trunk. */
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

    /**
     * RFC 3261 section 16.4: a top Route naming this edge (the Record-Route it wrote) is removed; its flow tokens tell
     * where the request goes on. Null when the top Route is someone else's or there is none.
     */
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
}
