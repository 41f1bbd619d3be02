package io.webcall.signaling.proxy;

import io.webcall.signaling.auth.Authenticator;
import io.webcall.signaling.auth.Identity;
import io.webcall.signaling.dialog.CallControl;
import io.webcall.signaling.dialog.Dialog;
import io.webcall.signaling.logging.CallMdc;
import io.webcall.signaling.media.MediaKind;
import io.webcall.signaling.registrar.Binding;
import io.webcall.signaling.registrar.LocationService;
import io.webcall.signaling.sip.SipMessage;
import io.webcall.signaling.sip.SipUri;
import io.webcall.signaling.tenant.AccountClient;
import io.webcall.signaling.tenant.Tenant;
import io.webcall.signaling.transaction.ServerTransaction;
import io.webcall.signaling.transport.Transport;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.List;
import java.util.Locale;

/**
 * Routing policy for a new request from a user (a browser, or a device that is not a tenant's PBX), once
 * authenticated: {@code echo} of the user's own domain to the echo service, a same-tenant user to all of that
 * user's devices, anything else to the tenant's PBX trunk.
 */
@ApplicationScoped
public class UserRouting {

    @Inject
    Proxy proxy;
    @Inject
    MediaAnchoring media;
    @Inject
    Authenticator auth;
    @Inject
    AccountClient account;
    @Inject
    LocationService location;
    @Inject
    CallControl calls;
    @Inject
    EchoService echo;
    @Inject
    Forking forking;

    void fromUser(ServerTransaction st) {
        auth.authenticated(st, false, id -> account.tenantByDomain(id.domain()).onComplete(CallMdc.wrap(t -> {
            if (t.failed() || t.result() == null) {
                st.respond(503, "Account Service Unavailable");
                return;
            }
            routeFromUser(st, id, t.result());
        })));
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
                forking.fork(st, bindings, tenant, "internal", MediaKind.WEBRTC, id.aor());
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

    /**
     * To the tenant's PBX trunk: the user at the trunk's host and port, over the trunk's transport (TLS for a SIPS URI),
     * with the trunk's credentials for its digest challenges.
     */
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
        // no port in the trunk URI: the edge locates the PBX in DNS (RFC 3263 section 4.2) when it sends
        Target t = new Target(ruri, null, pbx.host(), Math.max(0, pbx.port()), transport, List.of(), MediaKind.RTP, tenant.pbx());
        Dialog d = null;
        if (req.isMethod("INVITE")) {
            d = calls.initiated(req, st.flow(), MediaKind.WEBRTC, tenant.id(), "outbound", callerAor);
        }
        ProxyContext ctx = proxy.context(st, d, req.isMethod("INVITE"), true, MediaKind.WEBRTC);
        if (d != null) {
            d.cancelAction = ctx::cancel;
        }
        media.startWithMedia(ctx, d, List.of(t), MediaKind.RTP);
    }
}
