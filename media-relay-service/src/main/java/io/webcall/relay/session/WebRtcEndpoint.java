package io.webcall.relay.session;

import io.webcall.relay.dtls.DtlsHandshake;
import io.webcall.relay.dtls.DtlsIdentity;
import io.webcall.relay.dtls.DtlsRole;
import io.webcall.relay.dtls.SrtpKeys;
import io.webcall.relay.ice.IceAgents;
import io.webcall.relay.ice.WebRtcPort;
import io.webcall.relay.rtp.RtpPackets;
import io.webcall.relay.srtp.PacketBuffer;
import io.webcall.relay.srtp.SrtpResult;
import io.webcall.relay.srtp.SrtpSession;
import io.webcall.relay.stats.DropReason;
import io.webcall.relay.stats.RelayMetrics;
import org.ice4j.ice.harvest.SinglePortUdpHarvester;
import org.ice4j.util.Buffer;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.concurrent.ExecutorService;

/**
 * A browser-facing endpoint and its per-packet path: ICE on the shared port ({@link IceAgents}), DTLS-SRTP keyed by
 * a handshake whose peer certificate must match the SDP fingerprint ({@link DtlsHandshake}, RFC 5763 section 5),
 * then SRTP/SRTCP with rtcp-mux, unprotected and protected here. Datagrams on the port are demultiplexed by their
 * first byte (RFC 7983 section 7). ICE restarts swap the ICE agent and keep the DTLS association and SRTP keys
 * (RFC 8445 section 9, RFC 8842 section 5).
 */
public final class WebRtcEndpoint implements MediaEndpoint {

    private static final Logger LOG = Logger.getLogger(WebRtcEndpoint.class);
    private static final int EARLY_LIMIT = 64;

    private final String callId;
    private final RelayMetrics metrics;
    private final IceAgents ice;
    private final DtlsIdentity identity;
    private final ExecutorService executor;
    /** The current DTLS association; replaced when the peer presents a new certificate ({@link #renewDtls}). */
    private volatile DtlsHandshake dtls;
    /** Counts associations, so a replaced one's late keys or failure are ignored. */
    private int dtlsGeneration;
    private volatile PacketListener listener;
    private volatile SrtpSession srtp;
    private volatile String failure;
    private volatile boolean closed;
    /**
     * SRTP that arrives between the peer finishing its side of the handshake and the relay deriving its
     * keys is held briefly instead of being lost.
     */
    private final ArrayDeque<byte[]> early = new ArrayDeque<>();
    /** Serialises unprotecting: one receiver at a time per session (see {@link #onSrtp}). */
    private final Object receiveLock = new Object();

    public WebRtcEndpoint(String callId, SinglePortUdpHarvester harvester, WebRtcPort port, boolean controlling,
                          boolean consentFreshness, DtlsIdentity identity, RelayMetrics metrics,
                          ExecutorService executor) throws IOException {
        this.callId = callId;
        this.metrics = metrics;
        // an agent's payload reaches onDatagram: through ice4j until it has a selected pair, then straight from
        // the shared port's loop
        this.ice = new IceAgents(callId, harvester, port, controlling, consentFreshness, this::onIceDatagram,
                this::onDatagram);
        this.identity = identity;
        this.executor = executor;
        this.dtls = newHandshake();
    }

    private synchronized DtlsHandshake newHandshake() {
        int generation = ++dtlsGeneration;
        return new DtlsHandshake(callId, ice, identity, metrics, executor, keys -> {
            if (isCurrent(generation)) {
                onKeys(keys);
            }
        }, reason -> {
            if (isCurrent(generation)) {
                onDtlsFailure(reason);
            }
        });
    }

    private synchronized boolean isCurrent(int generation) {
        return generation == dtlsGeneration && !closed;
    }

    public DtlsRole role() {
        return dtls.role();
    }

    /**
     * Applies the peer's ICE credentials from an offer or answer; new ones (or {@code force}) restart ICE
     * ({@link IceAgents#setRemote}, RFC 8839 section 4.4.1.1.1).
     */
    public void setRemoteIce(String ufrag, String password, boolean force) throws IOException {
        ice.setRemote(ufrag, password, force);
    }

    /** The relay restarts ICE in its next offer: new local credentials now, the swap with the answer. */
    public void prepareRestart() throws IOException {
        ice.prepareRestart();
    }

    /** Local credentials to advertise: those of the pending restart agent if there is one. */
    public String advertisedUfrag() {
        return ice.advertisedUfrag();
    }

    public String advertisedPassword() {
        return ice.advertisedPassword();
    }

    /** Fixes the relay's DTLS role and the peer's fingerprint once ({@link DtlsHandshake#start}). */
    public void startDtls(DtlsRole relayRole, String fingerprintAlgorithm, String fingerprint) {
        dtls.start(relayRole, fingerprintAlgorithm, fingerprint);
    }

    /** Whether the current association checks the peer against this certificate fingerprint. */
    public boolean isPeerFingerprint(String fingerprintAlgorithm, String fingerprint) {
        return dtls.isPeerFingerprint(fingerprintAlgorithm, fingerprint);
    }

    /** Whether these ICE credentials of the peer differ from its current ones (an ICE restart). */
    public boolean isNewRemoteIce(String ufrag, String password) {
        return ice.isNewRemote(ufrag, password);
    }

    /**
     * The peer presents a new certificate, together with an ICE restart: a new DTLS association (RFC 8842 section
     * 5) in the role this offer/answer gives, checked against the new fingerprint. Records from now on go to it;
     * the old association ends, and its SRTP keys stay in use until the new handshake yields new ones, so media
     * keeps flowing to a peer that still uses them.
     */
    public void renewDtls(DtlsRole relayRole, String fingerprintAlgorithm, String fingerprint) {
        DtlsHandshake old = dtls;
        DtlsHandshake fresh = newHandshake();
        dtls = fresh;
        old.close();
        LOG.infof("call %s: new DTLS association with the peer's new certificate (%s)", callId, relayRole);
        fresh.start(relayRole, fingerprintAlgorithm, fingerprint);
    }

    /** The handshake's SRTP keys: SRTP flows from now on, starting with what was held while the keys were missing. */
    private void onKeys(SrtpKeys keys) {
        synchronized (early) {
            // a session these keys replace (a new association) is left to the collector, not closed: a media loop
            // may be protecting a packet with it right now
            srtp = new SrtpSession(keys);
        }
        drainEarlyPackets();
    }

    /** The handshake failed: no media flows any more and the session learns why. */
    private void onDtlsFailure(String reason) {
        failure = reason;
        PacketListener l = listener;
        if (l != null) {
            l.onFailure(reason);
        }
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
                case DTLS -> dtls.onRecord(b, off, len);
                case RTP -> onSrtp(b, off, len, false);
                case RTCP -> onSrtp(b, off, len, true);
                default -> metrics.drop(DropReason.MALFORMED);
            }
        } catch (RuntimeException e) {
            LOG.warnf(e, "call %s: datagram handling failed", callId);
        }
    }

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
                        early.addLast(Arrays.copyOfRange(b, off, off + len));
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
            ice.mediaPath().send(packet.getBuffer(), packet.getOffset(), packet.getLength());
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
                : dtls.role() == null ? "new" : "connecting");
    }

    @Override
    public void close() {
        closed = true;
        dtls.close();
        ice.close();
        SrtpSession s = srtp;
        if (s != null) {
            s.close();
        }
    }
}
