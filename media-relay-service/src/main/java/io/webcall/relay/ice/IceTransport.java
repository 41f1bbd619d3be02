package io.webcall.relay.ice;

import org.ice4j.TransportAddress;
import org.ice4j.ice.Agent;
import org.ice4j.ice.CandidatePair;
import org.ice4j.ice.Component;
import org.ice4j.ice.IceMediaStream;
import org.ice4j.ice.IceProcessingState;
import org.ice4j.ice.KeepAliveStrategy;
import org.ice4j.ice.harvest.SinglePortUdpHarvester;
import org.ice4j.util.BufferHandler;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;

/**
 * One ICE agent (RFC 8445, full implementation by ice4j) with a single audio stream of a single
 * component (rtcp-mux, RFC 5761), gathered on the shared UDP port. Remote candidates are learned as
 * peer-reflexive from the peer's checks (RFC 8445 section 7.3.1.3), which is what makes browsers' mDNS
 * ({@code .local}) candidates work without resolving them. Consent freshness (RFC 7675) runs on the
 * selected pair.
 */
public final class IceTransport {

    private static final Logger LOG = Logger.getLogger(IceTransport.class);

    private final Agent agent;
    private final Component component;
    private final IceMediaStream stream;
    private final CompletableFuture<Void> connected = new CompletableFuture<>();
    private volatile boolean started;
    /** The start waits for the peer's first Binding request. */
    private boolean deferred;
    private final SinglePortUdpHarvester harvester;
    private final WebRtcPort port;
    /** This agent's route on the shared port (one object per agent, so a restart's route is not removed). */
    private final MediaRoute route;
    /** The remote address of the selected pair, once there is one. */
    private volatile InetSocketAddress selected;
    private volatile boolean closed;

    /**
     * @param payloadHandler non-STUN datagrams that reach the agent through ice4j (before a pair is selected)
     * @param route the same datagrams from the selected pair's remote address, handed over by the shared port
     */
    public IceTransport(SinglePortUdpHarvester harvester, WebRtcPort port, boolean controlling,
                        boolean consentFreshness, BufferHandler payloadHandler, MediaRoute route) throws IOException {
        this.port = port;
        this.harvester = harvester;
        this.route = route::onMedia;
        agent = new Agent();
        agent.setUseDynamicPorts(false);
        agent.setControlling(controlling);
        agent.setPerformConsentFreshness(consentFreshness);
        agent.addCandidateHarvester(harvester);
        stream = agent.createMediaStream("audio");
        component = agent.createComponent(stream, KeepAliveStrategy.SELECTED_ONLY, false);
        component.setBufferCallback(payloadHandler);
        // a later nomination may change the selected pair of an established agent
        stream.addPairChangeListener(evt -> {
            if (agent.getState().isEstablished()) {
                updateSelected();
            }
        });
        agent.addStateChangeListener(evt -> {
            Object state = evt.getNewValue();
            if (state == IceProcessingState.COMPLETED || state == IceProcessingState.TERMINATED) {
                updateSelected();
                connected.complete(null);
            } else if (state == IceProcessingState.FAILED) {
                connected.completeExceptionally(new IOException("ICE failed"));
            }
        });
    }

    public String localUfrag() {
        return agent.getLocalUfrag();
    }

    public String localPassword() {
        return agent.getLocalPassword();
    }

    /**
     * Remote credentials from the peer's SDP (RFC 8839 section 5.4). The relay knows no remote candidate (it learns
     * the peer's address from its checks), so the agent has nothing to do before the peer's first Binding request:
     * on the shared port it starts then, just before ice4j handles that request; a call whose peer never checks
     * (unanswered, no media) schedules no ICE work at all.
     */
    public synchronized void setRemoteCredentials(String ufrag, String password) {
        stream.setRemoteUfrag(ufrag);
        stream.setRemotePassword(password);
        if (!started && !deferred) {
            deferred = harvester instanceof SharedPortHarvester shared
                    && shared.startOnFirstCheck(agent.getLocalUfrag(), this::start);
            if (!deferred) {
                start();
            }
        }
    }

    /** Starts connectivity establishment once (RFC 8445 section 6.1.4 on ice4j). */
    private synchronized void start() {
        if (!started && !closed) {
            started = true;
            agent.startConnectivityEstablishment();
        }
    }

    /** Completes when a pair is selected (or fails with the agent). */
    public CompletableFuture<Void> connected() {
        return connected;
    }

    public boolean isConnected() {
        return connected.isDone() && !connected.isCompletedExceptionally();
    }

    public String state() {
        return agent.getState().toString();
    }

    /**
     * Follows the selected pair (RFC 8445 section 8.1.1): its remote address takes the shared port's fast path
     * to this agent's route, and media toward the peer goes there.
     */
    private synchronized void updateSelected() {
        CandidatePair pair = component.getSelectedPair();
        if (pair == null || closed) {
            return;
        }
        TransportAddress remote = pair.getRemoteCandidate().getTransportAddress();
        InetSocketAddress address = new InetSocketAddress(remote.getAddress(), remote.getPort());
        InetSocketAddress before = selected;
        if (address.equals(before)) {
            return;
        }
        if (before != null) {
            port.unroute(before, route);
        }
        port.route(address, route);
        selected = address;
        LOG.debugf("agent %s: media from %s on the fast path", agent.getLocalUfrag(), address);
    }

    /** The remote address of the selected pair, or null before there is one. */
    public InetSocketAddress selectedRemote() {
        return selected;
    }

    /** Sends one datagram on the selected pair, from the shared port (before a pair is selected: through ice4j). */
    public void send(byte[] buf, int off, int len) throws IOException {
        InetSocketAddress to = selected;
        if (to == null) {
            component.send(buf, off, len);
        } else if (!port.send(buf, off, len, to)) {
            throw new IOException("datagram to " + to + " not sent");
        }
    }

    public void close() {
        synchronized (this) {
            closed = true;
            if (harvester instanceof SharedPortHarvester shared) {
                shared.cancelStart(agent.getLocalUfrag());
            }
            InetSocketAddress address = selected;
            if (address != null) {
                port.unroute(address, route);
            }
        }
        try {
            agent.free();
        } catch (RuntimeException e) {
            LOG.debugf(e, "freeing ICE agent %s", agent.getLocalUfrag());
        }
        connected.completeExceptionally(new IOException("ICE transport closed"));
    }
}
