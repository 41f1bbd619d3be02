package io.webcall.relay.ice;

import io.webcall.relay.config.RelayConfig;
import io.webcall.relay.rtp.RtpSocketLoop;
import io.webcall.relay.stats.RelayMetrics;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import org.ice4j.Transport;
import org.ice4j.TransportAddress;
import org.ice4j.ice.harvest.AbstractUdpListener;
import org.ice4j.ice.harvest.SinglePortUdpHarvester;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;

/**
 * Owns the single UDP port shared by every WebRTC session. Incoming STUN Binding requests are routed to
 * the agent whose local ufrag is the first part of their USERNAME (RFC 8445 section 7.2.2); after that,
 * datagrams are told apart by source address, the way Jitsi Videobridge does it. The port itself is read and
 * written by the relay's {@link WebRtcPort}: ice4j sees only STUN and media from addresses no agent selected
 * yet.
 */
@ApplicationScoped
public class IceHarvesterHolder {

    static {
        IceSystemDefaults.apply();
    }

    private final SinglePortUdpHarvester harvester;
    private final WebRtcPort port;

    public IceHarvesterHolder(RelayConfig config, RelayMetrics metrics, RtpSocketLoop rtpLoop) {
        // payload (DTLS, SRTP) is pushed to the session's handler instead of being queued for a reader thread
        AbstractUdpListener.USE_PUSH_API = true;
        try {
            harvester = new SharedPortHarvester(new TransportAddress(
                    InetAddress.getByName(config.bindAddress()), config.webrtc().port(), Transport.UDP));
            port = IcePortTakeover.install(harvester, config.webrtc().receiveBufferSize(), metrics,
                    config.webrtc().ownLoopThread() ? null : rtpLoop::registerReader);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot bind the WebRTC UDP port " + config.bindAddress() + ":"
                    + config.webrtc().port(), e);
        }
    }

    public SinglePortUdpHarvester harvester() {
        return harvester;
    }

    /** The relay's side of the shared port: the media fast path and every send toward browsers. */
    public WebRtcPort webRtcPort() {
        return port;
    }

    /** The port the WebRTC side really listens on (differs from the configuration when that says 0). */
    public int port() {
        return harvester.getLocalAddress().getPort();
    }

    @PreDestroy
    void close() {
        harvester.close();
        port.close();
    }
}
