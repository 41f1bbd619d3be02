package io.webcall.signaling.testsupport;

import java.util.Map;

/** Like {@link EdgeTestResource}, with media anchored at the real relay when it is built. */
public class AnchoredEdgeTestResource extends EdgeTestResource {

    @Override
    public Map<String, String> start() {
        Map<String, String> cfg = super.start();
        if (RelayProcess.available()) {
            cfg.put("webcall.edge.media.anchor", "true");
            cfg.put("webcall.edge.media.relay-url", RelayProcess.start());
            cfg.put("webcall.edge.media.timeout", "10s");
        }
        return cfg;
    }
}
