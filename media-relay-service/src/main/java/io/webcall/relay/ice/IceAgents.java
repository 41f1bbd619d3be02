package io.webcall.relay.ice;

import org.ice4j.ice.harvest.SinglePortUdpHarvester;
import org.ice4j.util.BufferHandler;
import org.jboss.logging.Logger;

import java.io.IOException;

/**
 * The ICE agents of one WebRTC endpoint across ICE restarts (RFC 8445 section 9): the current agent, the one
 * before a restart (media still leaves on it until the restarted agent has a selected pair), and the agent
 * prepared for a restart the relay offers itself. Every agent hands the peer's payload datagrams to the same
 * handlers, so the DTLS association and SRTP keys outlive a restart (RFC 8842 section 5).
 */
public final class IceAgents {

    private static final Logger LOG = Logger.getLogger(IceAgents.class);

    private final String callId;
    private final SinglePortUdpHarvester harvester;
    private final WebRtcPort port;
    private final boolean controlling;
    private final boolean consentFreshness;
    private final BufferHandler payloadHandler;
    private final MediaRoute route;
    private volatile IceTransport ice;
    /** The agent before an ICE restart: media still leaves on it until the restarted agent has a selected pair. */
    private volatile IceTransport previous;
    /** The agent of a restart the relay offers: its credentials go out in the offer, the swap comes with the answer. */
    private IceTransport pendingRestart;
    private String remoteUfrag;
    private String remotePassword;

    /**
     * Creates the first agent.
     *
     * @param payloadHandler non-STUN datagrams that reach an agent through ice4j (before a pair is selected)
     * @param route the same datagrams from a selected pair's remote address, handed over by the shared port
     */
    public IceAgents(String callId, SinglePortUdpHarvester harvester, WebRtcPort port, boolean controlling,
                     boolean consentFreshness, BufferHandler payloadHandler, MediaRoute route) throws IOException {
        this.callId = callId;
        this.harvester = harvester;
        this.port = port;
        this.controlling = controlling;
        this.consentFreshness = consentFreshness;
        this.payloadHandler = payloadHandler;
        this.route = route;
        this.ice = newAgent();
    }

    private IceTransport newAgent() throws IOException {
        return new IceTransport(harvester, port, controlling, consentFreshness, payloadHandler, route);
    }

    /**
     * Whether {@code ufrag} and {@code password} differ from the peer's current ICE credentials, i.e. an offer or
     * answer carrying them restarts ICE (RFC 8839 section 4.4.1.1.1); false before the peer's first ones.
     */
    public synchronized boolean isNewRemote(String ufrag, String password) {
        return remoteUfrag != null && !(ufrag.equals(remoteUfrag) && password.equals(remotePassword));
    }

    /** The current agent: the one DTLS records go out on. */
    public IceTransport current() {
        return ice;
    }

    /**
     * Applies the peer's ICE credentials from an offer or answer. New credentials from the peer mean an ICE
     * restart (RFC 8839 section 4.4.1.1.1): a new agent takes over, with new local credentials, and the old
     * one stays until the new one has a selected pair so media does not stop. {@code force} restarts even
     * when the peer kept its credentials.
     */
    public synchronized void setRemote(String ufrag, String password, boolean force) throws IOException {
        if (remoteUfrag == null) {
            remoteUfrag = ufrag;
            remotePassword = password;
            ice.setRemoteCredentials(ufrag, password);
            return;
        }
        if (ufrag.equals(remoteUfrag) && password.equals(remotePassword) && !force) {
            return;
        }
        if (pendingRestart == null) {
            pendingRestart = newAgent();
        }
        IceTransport old = ice;
        if (previous == null || old.isConnected()) {
            previous = old;
        }
        IceTransport restarted = pendingRestart;
        ice = restarted;
        pendingRestart = null;
        remoteUfrag = ufrag;
        remotePassword = password;
        restarted.setRemoteCredentials(ufrag, password);
        restarted.connected().whenComplete((v, e) -> retire(old));
        LOG.infof("call %s: ICE restart, new local ufrag %s", callId, ice.localUfrag());
    }

    private synchronized void retire(IceTransport old) {
        if (previous == old) {
            previous = null;
        }
        old.close();
    }

    /** The agent media leaves on: the current one, or until it connects after a restart, the one before. */
    public IceTransport mediaPath() {
        IceTransport current = ice;
        if (!current.isConnected()) {
            IceTransport before = previous;
            if (before != null && before.isConnected()) {
                return before;
            }
        }
        return current;
    }

    /** The relay restarts ICE in its next offer: new local credentials now, the swap with the answer. */
    public synchronized void prepareRestart() throws IOException {
        if (pendingRestart == null) {
            pendingRestart = newAgent();
        }
    }

    /** Local credentials to advertise: those of the pending restart agent if there is one. */
    public synchronized String advertisedUfrag() {
        return pendingRestart != null ? pendingRestart.localUfrag() : ice.localUfrag();
    }

    public synchronized String advertisedPassword() {
        return pendingRestart != null ? pendingRestart.localPassword() : ice.localPassword();
    }

    /** The current agent's ICE processing state. */
    public String state() {
        return ice.state();
    }

    /** Closes every agent: the current one, the one before a restart and a prepared one. */
    public synchronized void close() {
        ice.close();
        IceTransport before = previous;
        if (before != null) {
            before.close();
        }
        if (pendingRestart != null) {
            pendingRestart.close();
        }
    }
}
