package io.webcall.signaling.proxy;

import io.webcall.signaling.EdgeConfig;
import io.webcall.signaling.dialog.TransitDialogs;
import io.webcall.signaling.media.MediaKind;
import io.webcall.signaling.registrar.Binding;
import io.webcall.signaling.sip.SipUri;
import io.webcall.signaling.transaction.ServerTransaction;
import io.webcall.signaling.transport.Flow;
import io.webcall.signaling.transport.SipTransports;
import io.webcall.signaling.transport.Transport;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.util.List;
import java.util.Optional;

/**
 * New requests between the edges of a deployment: the branch toward the edge holding a user's connection, with a
 * Route naming that connection by its flow token and signed with the shared service-to-service secret
 * ({@link RouteTokens#sign}), and, on the edge receiving it, the request sent on over that connection once the
 * signature checks out.
 */
@ApplicationScoped
public class EdgeRoutes {

    @Inject
    EdgeConfig config;
    @Inject
    Proxy proxy;
    @Inject
    SipTransports transports;
    @Inject
    TransitDialogs transit;
    /** Secret shared by every service of a deployment; signs edge-to-edge routes. */
    @ConfigProperty(name = "webcall.internal.token")
    Optional<String> internalToken;

    /** The branch toward the edge holding the connection of a binding another edge registered, or null. */
    Target toEdgeOf(Binding b, MediaKind kind) {
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

    /**
     * A new request another edge instance routed here for a connection this edge holds: only edges can sign that
     * ({@code 403} otherwise).
     */
    void fromEdge(ServerTransaction st, RouteTokens tokens) {
        if (!tokens.signedBy(internalToken.orElse(null), config.kafka().instanceId())) {
            st.respond(403, "Forbidden");
            return;
        }
        toFlow(st, tokens.calleeFlow());
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
}
