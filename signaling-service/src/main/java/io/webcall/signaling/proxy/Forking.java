package io.webcall.signaling.proxy;

import io.webcall.signaling.EdgeConfig;
import io.webcall.signaling.dialog.CallControl;
import io.webcall.signaling.dialog.Dialog;
import io.webcall.signaling.media.MediaKind;
import io.webcall.signaling.registrar.Binding;
import io.webcall.signaling.sip.SipMessage;
import io.webcall.signaling.tenant.Tenant;
import io.webcall.signaling.transaction.ServerTransaction;
import io.webcall.signaling.transport.Flow;
import io.webcall.signaling.transport.SipTransports;
import io.webcall.signaling.transport.Transport;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.ArrayList;
import java.util.List;

/**
 * Sends a new request to every registered device of a user at once (parallel search, RFC 3261 section 16.6): a
 * branch per binding, over the connection the binding came in on, to its UDP source, or through the edge holding
 * its connection ({@link EdgeRoutes}).
 */
@ApplicationScoped
public class Forking {

    @Inject
    EdgeConfig config;
    @Inject
    Proxy proxy;
    @Inject
    MediaAnchoring media;
    @Inject
    SipTransports transports;
    @Inject
    CallControl calls;
    @Inject
    EdgeRoutes edges;

    void fork(ServerTransaction st, List<Binding> bindings, Tenant tenant, String direction, MediaKind sourceKind,
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
        media.startWithMedia(ctx, d, targets, MediaKind.WEBRTC);
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
        return edges.toEdgeOf(b, kind);
    }
}
