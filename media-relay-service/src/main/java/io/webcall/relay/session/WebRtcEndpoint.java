package io.webcall.relay.session;

import io.webcall.relay.dtls.DtlsClient;
import io.webcall.relay.dtls.DtlsIdentity;
import io.webcall.relay.dtls.DtlsServer;
import io.webcall.relay.dtls.FingerprintMismatchException;
import io.webcall.relay.dtls.PacketQueueTransport;
import io.webcall.relay.dtls.SrtpKeys;
import io.webcall.relay.ice.IceTransport;
import io.webcall.relay.ice.WebRtcPort;
import io.webcall.relay.rtp.RtpPackets;
import io.webcall.relay.srtp.PacketBuffer;
import io.webcall.relay.srtp.SrtpResult;
import io.webcall.relay.srtp.SrtpSession;
import io.webcall.relay.stats.DropReason;
import io.webcall.relay.stats.RelayMetrics;
import org.bouncycastle.tls.DTLSClientProtocol;
import org.bouncycastle.tls.DTLSServerProtocol;
import org.bouncycastle.tls.DTLSTransport;
import org.bouncycastle.tls.TlsFatalAlert;
import org.ice4j.ice.harvest.SinglePortUdpHarvester;
import org.ice4j.util.Buffer;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A browser-facing endpoint: ICE on the shared port, DTLS-SRTP keyed by a BouncyCastle handshake whose
 * peer certificate must match the SDP fingerprint (RFC 5763 section 5), then SRTP/SRTCP with rtcp-mux.
 * Datagrams on the port are demultiplexed by their first byte (RFC 7983 section 7). ICE restarts swap
 * the ICE agent and keep the DTLS association and SRTP keys (RFC 8445 section 9, RFC 8842 section 5).
 */
public final class WebRtcEndpoint implements MediaEndpoint {

    private static final Logger LOG = Logger.getLogger(WebRtcEndpoint.class);

    /** DTLS role of the relay (RFC 4145 setup attribute, RFC 5763 section 5). */
    public enum Role { CLIENT, SERVER }

    private final String callId;
    private final SinglePortUdpHarvester harvester;
    private final WebRtcPort port;
    private final boolean consentFreshness;
    private final DtlsIdentity identity;
    private final RelayMetrics metrics;
    private final ExecutorService executor;
    private final PacketQueueTransport dtlsPackets;
    private volatile IceTransport ice;
    /** The agent before an ICE restart: media still leaves on it until the restarted agent has a selected pair. */
    private volatile IceTransport previous;
    private volatile PacketListener listener;
    private volatile SrtpSession srtp;
    private volatile Role role;
    /** The peer's a=fingerprint, fixed with the role; checked by the handshake. */
    private volatile String peerFingerprintAlgorithm;
    private volatile String peerFingerprint;
    /** Set once the handshake task was handed to the executor. */
    private final AtomicBoolean dtlsStarted = new AtomicBoolean();
    private volatile String failure;
    private volatile boolean closed;
    private String remoteUfrag;
    private String remotePassword;
    private final boolean controlling;

    public WebRtcEndpoint(String callId, SinglePortUdpHarvester harvester, WebRtcPort port, boolean controlling,
                          boolean consentFreshness, DtlsIdentity identity, RelayMetrics metrics,
                          ExecutorService executor) throws IOException {
        this.callId = callId;
        this.harvester = harvester;
        this.port = port;
        this.controlling = controlling;
        this.consentFreshness = consentFreshness;
        this.identity = identity;
        this.metrics = metrics;
        this.executor = executor;
        this.dtlsPackets = new PacketQueueTransport(this::sendDtls);
        this.ice = newAgent();
    }

    /**
     * An ICE agent whose payload reaches {@link #onDatagram}: through ice4j until it has a selected pair, then
     * straight from the shared port's loop.
     */
    private IceTransport newAgent() throws IOException {
        return new IceTransport(harvester, port, controlling, consentFreshness, this::onIceDatagram,
                this::onDatagram);
    }

    public String localUfrag() {
        return ice.localUfrag();
    }

    public String localPassword() {
        return ice.localPassword();
    }

    public Role role() {
        return role;
    }

    /**
     * Applies the peer's ICE credentials from an offer or answer. New credentials from the peer mean an ICE
     * restart (RFC 8839 section 4.4.1.1.1): a new agent takes over, with new local credentials, and the old
     * one stays until the new one has a selected pair so media does not stop. {@code force} restarts even
     * when the peer kept its credentials.
     */
    public synchronized void setRemoteIce(String ufrag, String password, boolean force) throws IOException {
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
    private IceTransport mediaPath() {
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

    private IceTransport pendingRestart;

    /** Local credentials to advertise: those of the pending restart agent if there is one. */
    public synchronized String advertisedUfrag() {
        return pendingRestart != null ? pendingRestart.localUfrag() : ice.localUfrag();
    }

    public synchronized String advertisedPassword() {
        return pendingRestart != null ? pendingRestart.localPassword() : ice.localPassword();
    }

    /**
     * Fixes the relay's DTLS role and the peer's fingerprint once; later calls keep the existing association. No
     * work starts here: as server the handshake starts when the peer's first record (its ClientHello) arrives, as
     * client when ICE has a selected pair, so a call that never gets that far (no media, an unanswered call) costs
     * neither a thread nor a timer.
     */
    public synchronized void startDtls(Role relayRole, String fingerprintAlgorithm, String fingerprint) {
        if (role != null) {
            return;
        }
        peerFingerprintAlgorithm = fingerprintAlgorithm;
        peerFingerprint = fingerprint;
        role = relayRole;
        if (relayRole == Role.SERVER) {
            startServerIfHello();
        } else {
            startClientWhenConnected(ice);
        }
    }

    /** As DTLS server: starts the handshake once the role is known and a record from the peer waits. */
    private void startServerIfHello() {
        if (role == Role.SERVER && !closed && dtlsPackets.hasPending() && dtlsStarted.compareAndSet(false, true)) {
            launchDtls(Role.SERVER);
        }
    }

    /**
     * As DTLS client: starts the handshake when {@code agent} has a selected pair. If that agent ends first (an ICE
     * restart replaced it), waits for its successor instead.
     */
    private void startClientWhenConnected(IceTransport agent) {
        agent.connected().whenComplete((v, e) -> {
            if (closed) {
                return;
            }
            if (e == null) {
                if (dtlsStarted.compareAndSet(false, true)) {
                    launchDtls(Role.CLIENT);
                }
                return;
            }
            IceTransport current = ice;
            if (current != agent) {
                startClientWhenConnected(current);
            }
        });
    }

    private void launchDtls(Role relayRole) {
        String algorithm = peerFingerprintAlgorithm;
        String fingerprint = peerFingerprint;
        try {
            executor.execute(() -> runDtls(relayRole, algorithm, fingerprint));
        } catch (RejectedExecutionException e) {
            LOG.debugf("call %s: relay stopping, no DTLS handshake", callId);
        }
    }

    private void runDtls(Role relayRole, String fingerprintAlgorithm, String fingerprint) {
        DTLSTransport transport;
        try {
            SrtpKeys keys;
            if (relayRole == Role.SERVER) {
                DtlsServer server = new DtlsServer(identity, fingerprintAlgorithm, fingerprint);
                transport = new DTLSServerProtocol().accept(server, dtlsPackets);
                keys = server.keys();
            } else {
                DtlsClient client = new DtlsClient(identity, fingerprintAlgorithm, fingerprint);
                transport = new DTLSClientProtocol().connect(client, dtlsPackets);
                keys = client.keys();
            }
            synchronized (early) {
                srtp = new SrtpSession(keys);
            }
            drainEarlyPackets();
            LOG.infof("call %s: DTLS-SRTP established (%s, %s)", callId, relayRole, keys.profile());
        } catch (Exception e) {
            if (closed) {
                return;
            }
            boolean mismatch = isFingerprintMismatch(e);
            failure = mismatch ? "dtls fingerprint mismatch" : "dtls handshake failed: " + e.getMessage();
            metrics.dtlsFailure(mismatch);
            LOG.warnf("call %s: %s", callId, failure);
            PacketListener l = listener;
            if (l != null) {
                l.onFailure(failure);
            }
            return;
        }
        // no thread waits on the association from now on: records that still arrive (the peer retransmitting
        // its last flight, close_notify) are read by a short task when they come (see onDtlsAfterHandshake)
        established = transport;
        if (dtlsPackets.hasPending()) {
            onDtlsAfterHandshake();
        }
    }

    private volatile DTLSTransport established;
    private final java.util.concurrent.atomic.AtomicBoolean dtlsReading = new java.util.concurrent.atomic.AtomicBoolean();

    /**
     * Reads DTLS records that arrive after the handshake on the shared executor, so the association still
     * answers a retransmitted final flight (RFC 6347 section 4.2.4) without a thread per session.
     */
    private void onDtlsAfterHandshake() {
        DTLSTransport transport = established;
        if (transport == null || closed || !dtlsReading.compareAndSet(false, true)) {
            return;
        }
        executor.execute(() -> {
            byte[] buf = new byte[2048];
            try {
                while (!closed && dtlsPackets.hasPending()) {
                    transport.receive(buf, 0, buf.length, 1);
                }
            } catch (IOException | RuntimeException e) {
                // the association is over (fatal alert or close): later records have nobody to answer them
                established = null;
                dtlsPackets.discardPending();
                LOG.debugf("call %s: DTLS after handshake: %s", callId, e.getMessage());
            } finally {
                dtlsReading.set(false);
            }
            if (!closed && dtlsPackets.hasPending()) {
                onDtlsAfterHandshake();
            }
        });
    }

    /**
     * Sends a DTLS flight. The peer may finish ICE (and send its ClientHello) a moment before the relay's
     * agent has a valid pair; the relay waits briefly for it, and a record that still cannot go out is
     * dropped: DTLS retransmits flights (RFC 6347 section 4.2.4).
     */
    private void sendDtls(byte[] buf, int off, int len) {
        IceTransport transport = ice;
        if (!transport.isConnected()) {
            try {
                transport.connected().get(3, TimeUnit.SECONDS);
            } catch (Exception e) {
                // not connected yet; try anyway
            }
        }
        try {
            transport.send(buf, off, len);
        } catch (IOException e) {
            LOG.debugf("call %s: DTLS record not sent yet: %s", callId, e.getMessage());
        }
    }

    private static boolean isFingerprintMismatch(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof FingerprintMismatchException) {
                return true;
            }
            if (t instanceof TlsFatalAlert alert && alert.getAlertDescription()
                    == org.bouncycastle.tls.AlertDescription.bad_certificate) {
                return true;
            }
        }
        return false;
    }

    /** Payload datagrams pushed by ice4j (STUN is consumed by the agent), before a pair is selected. */
    private void onIceDatagram(Buffer buffer) {
        onDatagram(buffer.getBuffer(), buffer.getOffset(), buffer.getLength());
    }

    /**
     * A payload datagram from the peer: DTLS, SRTP or SRTCP (RFC 7983 section 7). On the shared port's loop
     * thread once a pair is selected; the array may be reused when this returns.
     */
    private void onDatagram(byte[] b, int off, int len) {
        try {
            switch (RtpPackets.classify(b, off, len)) {
                case DTLS -> {
                    if (!dtlsPackets.offer(b, off, len)) {
                        metrics.drop(DropReason.DTLS_OVERFLOW);
                    } else if (established != null) {
                        onDtlsAfterHandshake();
                    } else if (!dtlsStarted.get()) {
                        startServerIfHello();
                    }
                }
                case RTP -> onSrtp(b, off, len, false);
                case RTCP -> onSrtp(b, off, len, true);
                default -> metrics.drop(DropReason.MALFORMED);
            }
        } catch (RuntimeException e) {
            LOG.warnf(e, "call %s: datagram handling failed", callId);
        }
    }

    /**
     * SRTP that arrives between the peer finishing its side of the handshake and the relay deriving its
     * keys is held briefly instead of being lost.
     */
    private final java.util.ArrayDeque<byte[]> early = new java.util.ArrayDeque<>();
    private static final int EARLY_LIMIT = 64;

    private void drainEarlyPackets() {
        while (true) {
            byte[] p;
            synchronized (early) {
                p = early.pollFirst();
            }
            if (p == null) {
                return;
            }
            onSrtp(p, 0, p.length, RtpPackets.classify(p, 0, p.length) == RtpPackets.Kind.RTCP);
        }
    }

    private void onSrtp(byte[] b, int off, int len, boolean rtcp) {
        SrtpSession s = srtp;
        if (s == null) {
            synchronized (early) {
                s = srtp;
                if (s == null) {
                    if (failure == null && early.size() < EARLY_LIMIT) {
                        early.addLast(java.util.Arrays.copyOfRange(b, off, off + len));
                    } else {
                        metrics.drop(DropReason.NO_KEYS);
                    }
                    return;
                }
            }
        }
        if (failure != null) {
            metrics.drop(DropReason.NO_KEYS);
            return;
        }
        // one receiver at a time per session: the shared port's loop, and before a pair is selected (or on a
        // restarted agent's new address) ice4j's listener or the DTLS thread draining early packets
        synchronized (receiveLock) {
            PacketBuffer packet = PacketBuffer.incoming(b, off, len);
            SrtpResult result = rtcp ? s.unprotectRtcp(packet) : s.unprotectRtp(packet);
            switch (result) {
                case OK -> {
                    PacketListener l = listener;
                    if (l != null) {
                        if (rtcp) {
                            l.onRtcp(packet.getBuffer(), packet.getOffset(), packet.getLength());
                        } else {
                            l.onRtp(packet.getBuffer(), packet.getOffset(), packet.getLength());
                        }
                    }
                }
                case AUTH_FAIL -> metrics.drop(DropReason.SRTP_AUTH);
                case REPLAY -> metrics.drop(DropReason.SRTP_REPLAY);
                default -> metrics.drop(DropReason.MALFORMED);
            }
        }
    }

    private final Object receiveLock = new Object();

    @Override
    public boolean sendRtp(byte[] buf, int off, int len) {
        return sendProtected(buf, off, len, false);
    }

    @Override
    public boolean sendRtcp(byte[] buf, int off, int len) {
        return sendProtected(buf, off, len, true);
    }

    private boolean sendProtected(byte[] buf, int off, int len, boolean rtcp) {
        SrtpSession s = srtp;
        if (s == null || failure != null || closed) {
            metrics.drop(DropReason.NO_KEYS);
            return false;
        }
        PacketBuffer packet = PacketBuffer.outgoing(buf, off, len);
        if (!(rtcp ? s.protectRtcp(packet) : s.protectRtp(packet))) {
            metrics.drop(DropReason.MALFORMED);
            return false;
        }
        try {
            mediaPath().send(packet.getBuffer(), packet.getOffset(), packet.getLength());
            return true;
        } catch (IOException e) {
            metrics.drop(DropReason.NOT_CONNECTED);
            return false;
        }
    }

    public boolean isSecure() {
        return srtp != null;
    }

    public String failure() {
        return failure;
    }

    @Override
    public void setListener(PacketListener listener) {
        this.listener = listener;
    }

    @Override
    public String state() {
        return "ice=" + ice.state() + " dtls=" + (failure != null ? "failed" : srtp != null ? "connected"
                : role == null ? "new" : "connecting");
    }

    @Override
    public synchronized void close() {
        closed = true;
        dtlsPackets.close();
        ice.close();
        IceTransport before = previous;
        if (before != null) {
            before.close();
        }
        if (pendingRestart != null) {
            pendingRestart.close();
        }
        SrtpSession s = srtp;
        if (s != null) {
            s.close();
        }
    }
}
