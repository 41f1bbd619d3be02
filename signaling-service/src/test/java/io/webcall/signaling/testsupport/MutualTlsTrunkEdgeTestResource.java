package io.webcall.signaling.testsupport;

import java.util.Map;

/** Like {@link TlsTrunkEdgeTestResource}, with the TLS listener requiring a client certificate the edge trusts. */
public class MutualTlsTrunkEdgeTestResource extends TlsTrunkEdgeTestResource {

    @Override
    public Map<String, String> start() {
        Map<String, String> cfg = super.start();
        cfg.put("webcall.edge.sip.tls.client-auth", "required");
        return cfg;
    }
}
