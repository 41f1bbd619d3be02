package io.webcall.relay.ice;

import org.ice4j.ice.Agent;
import org.ice4j.ice.Component;
import org.ice4j.ice.IceMediaStream;
import org.ice4j.ice.IceProcessingState;
import org.ice4j.ice.KeepAliveStrategy;
import org.ice4j.ice.harvest.SinglePortUdpHarvester;
import org.ice4j.util.BufferHandler;
import org.jboss.logging.Logger;

import java.io.IOException;
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

    public IceTransport(SinglePortUdpHarvester harvester, boolean controlling, boolean consentFreshness,
                        BufferHandler payloadHandler) throws IOException {
        agent = new Agent();
        agent.setUseDynamicPorts(false);
        agent.setControlling(controlling);
        agent.setPerformConsentFreshness(consentFreshness);
        agent.addCandidateHarvester(harvester);
        stream = agent.createMediaStream("audio");
        component = agent.createComponent(stream, KeepAliveStrategy.SELECTED_ONLY, false);
        component.setBufferCallback(payloadHandler);
        agent.addStateChangeListener(evt -> {
            Object state = evt.getNewValue();
            if (state == IceProcessingState.COMPLETED || state == IceProcessingState.TERMINATED) {
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

    /** Remote credentials from the peer's SDP (RFC 8839 section 5.4); starts checks the first time. */
    public synchronized void setRemoteCredentials(String ufrag, String password) {
        stream.setRemoteUfrag(ufrag);
        stream.setRemotePassword(password);
        if (!started) {
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

    /** Sends one datagram on the selected (or last used valid) pair. */
    public void send(byte[] buf, int off, int len) throws IOException {
        component.send(buf, off, len);
    }

    public void close() {
        try {
            agent.free();
        } catch (RuntimeException e) {
            LOG.debugf(e, "freeing ICE agent %s", agent.getLocalUfrag());
        }
        connected.completeExceptionally(new IOException("ICE transport closed"));
    }
}
