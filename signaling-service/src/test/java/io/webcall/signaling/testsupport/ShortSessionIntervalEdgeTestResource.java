package io.webcall.signaling.testsupport;

import java.util.Map;

/**
 * Like {@link AnchoredEdgeTestResource}, with the edge's Min-SE lowered to 1 s so a session timer can expire within a
 * test (production keeps the RFC 4028 floor of 90 s).
 */
public class ShortSessionIntervalEdgeTestResource extends AnchoredEdgeTestResource {

    @Override
    public Map<String, String> start() {
        Map<String, String> cfg = super.start();
        cfg.put("webcall.edge.calls.min-session-expires", "1");
        return cfg;
    }
}
