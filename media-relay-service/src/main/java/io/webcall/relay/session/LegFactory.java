package io.webcall.relay.session;

import io.webcall.relay.config.RelayConfig;
import io.webcall.relay.dtls.DtlsIdentity;
import io.webcall.relay.ice.IceHarvesterHolder;
import io.webcall.relay.rtp.RtpEndpoint;
import io.webcall.relay.rtp.RtpPortAllocator;
import io.webcall.relay.rtp.RtpSocketLoop;
import io.webcall.relay.stats.RelayMetrics;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import java.io.IOException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Opens the legs of a session, each with the media endpoint of its kind: a {@link WebRtcEndpoint} on the shared
 * ICE port, whose DTLS handshakes run on this factory's threads, or an {@link RtpEndpoint} on a port pair of its
 * own.
 */
@ApplicationScoped
public class LegFactory {

    private final RelayConfig config;
    private final IceHarvesterHolder ice;
    private final DtlsIdentity identity;
    private final RtpPortAllocator ports;
    private final RtpSocketLoop rtpLoop;
    private final RelayMetrics metrics;
    private final AtomicInteger dtlsThreads = new AtomicInteger();
    /** Runs the blocking DTLS handshakes; a thread idle for a few seconds ends (no thread per call stays). */
    private final ExecutorService dtlsExecutor = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 5, TimeUnit.SECONDS,
            new SynchronousQueue<>(), r -> {
        Thread t = new Thread(r, "relay-dtls-" + dtlsThreads.incrementAndGet());
        t.setDaemon(true);
        return t;
    });

    public LegFactory(RelayConfig config, IceHarvesterHolder ice, DtlsIdentity identity, RtpPortAllocator ports,
                      RtpSocketLoop rtpLoop, RelayMetrics metrics) {
        this.config = config;
        this.ice = ice;
        this.identity = identity;
        this.ports = ports;
        this.rtpLoop = rtpLoop;
        this.metrics = metrics;
    }

    /**
     * A new leg of {@code session}; {@code relayOffers} when the relay sends the first offer toward it (its ICE
     * agent is then the controlling one). 503 when no media can be opened (no free port).
     */
    Leg newLeg(MediaSession session, LegKind kind, String tag, boolean relayOffers) {
        try {
            MediaEndpoint endpoint = switch (kind) {
                case WEBRTC -> new WebRtcEndpoint(session.callId(), ice.harvester(), ice.webRtcPort(), relayOffers,
                        config.webrtc().consentFreshness(), identity, metrics, dtlsExecutor);
                case RTP -> new RtpEndpoint(ports, rtpLoop, metrics);
            };
            return new Leg(session, kind, tag, endpoint, metrics);
        } catch (IOException e) {
            throw new RelayException(503, "no_resources", "cannot open media for the call: " + e.getMessage(),
                    null);
        }
    }

    @PreDestroy
    void shutdown() {
        dtlsExecutor.shutdownNow();
    }
}
