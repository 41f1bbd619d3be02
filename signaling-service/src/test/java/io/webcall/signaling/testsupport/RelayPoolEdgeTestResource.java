package io.webcall.signaling.testsupport;

import java.util.Map;

/**
 * Like {@link EdgeTestResource}, with media anchored at three relays: two real ones of the test's own ({@link #first},
 * with RTP ports for a single call leg toward a PBX, and {@link #second}) and, listed first, an address where nothing
 * listens (a relay that is down).
 */
public class RelayPoolEdgeTestResource extends EdgeTestResource {

    /** The relays the edge was given, as their control API base URLs: the down one, then the two running ones. */
    public static volatile String down;
    public static volatile RelayProcess first;
    public static volatile RelayProcess second;

    @Override
    public Map<String, String> start() {
        Map<String, String> cfg = super.start();
        RelayProcess.assumeAvailable();
        // room for one call leg toward a PBX: a second one gets 503 there
        first = RelayProcess.startOwn("media-relay-pool-1", 47000, 2);
        second = RelayProcess.startOwn("media-relay-pool-2", 48000);
        // nothing listens there: connections are refused
        down = "http://127.0.0.1:" + Sipp.freeTcpPort();
        cfg.put("webcall.edge.media.anchor", "true");
        cfg.put("webcall.edge.media.relay-url", down + "," + first.url() + "," + second.url());
        cfg.put("webcall.edge.media.timeout", "10s");
        return cfg;
    }

    @Override
    public void stop() {
        if (first != null) {
            first.close();
        }
        if (second != null) {
            second.close();
        }
    }
}
