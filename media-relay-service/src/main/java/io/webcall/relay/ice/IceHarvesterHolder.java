package io.webcall.relay.ice;

import io.webcall.relay.config.RelayConfig;
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
 * datagrams are told apart by source address, the way Jitsi Videobridge does it.
 */
@ApplicationScoped
public class IceHarvesterHolder {

    static {
        IceSystemDefaults.apply();
    }

    private final SinglePortUdpHarvester harvester;

    public IceHarvesterHolder(RelayConfig config, RelayMetrics metrics) {
        // payload (DTLS, SRTP) is pushed to the session's handler instead of being queued for a reader thread
        AbstractUdpListener.USE_PUSH_API = true;
        // read by ice4j when the listener opens its socket (HarvestConfig, legacy property name)
        System.setProperty("org.ice4j.ice.harvest.AbstractUdpListener.SO_RCVBUF",
                Integer.toString(config.webrtc().receiveBufferSize()));
        try {
            harvester = new SharedPortHarvester(new TransportAddress(
                    InetAddress.getByName(config.bindAddress()), config.webrtc().port(), Transport.UDP));
            ScreenedPort.install(harvester, metrics);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot bind the WebRTC UDP port " + config.bindAddress() + ":"
                    + config.webrtc().port(), e);
        }
    }

    public SinglePortUdpHarvester harvester() {
        return harvester;
    }

    /** The port the WebRTC side really listens on (differs from the configuration when that says 0). */
    public int port() {
        return harvester.getLocalAddress().getPort();
    }

    @PreDestroy
    void close() {
        harvester.close();
    }
}
