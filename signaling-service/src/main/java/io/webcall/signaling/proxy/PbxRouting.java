package io.webcall.signaling.proxy;

import io.webcall.signaling.media.MediaKind;
import io.webcall.signaling.registrar.Binding;
import io.webcall.signaling.registrar.LocationService;
import io.webcall.signaling.sip.SipMessage;
import io.webcall.signaling.sip.SipUri;
import io.webcall.signaling.tenant.Tenant;
import io.webcall.signaling.transaction.ServerTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.List;

/**
 * Routing policy for a new request from a PBX trunk (its source address is a tenant's trunk): to every device of
 * the Request-URI user in the first of those tenants where that user is registered.
 */
@ApplicationScoped
public class PbxRouting {

    @Inject
    LocationService location;
    @Inject
    Forking forking;

    void fromPbx(ServerTransaction st, List<Tenant> tenants) {
        SipMessage req = st.request();
        SipUri ruri = SipUri.parse(req.requestUri());
        if (ruri == null || ruri.user() == null) {
            st.respond(404, "Not Found");
            return;
        }
        for (Tenant tenant : tenants) {
            List<Binding> bindings = location.lookup("sip:" + ruri.user() + "@" + tenant.domain());
            if (!bindings.isEmpty()) {
                forking.fork(st, bindings, tenant, "inbound", MediaKind.RTP, null);
                return;
            }
        }
        st.respond(480, "Temporarily Unavailable");
    }
}
