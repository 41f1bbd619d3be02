package io.webcall.relay.dtls;

import io.webcall.relay.ice.IceAgents;
import io.webcall.relay.ice.IceTransport;
import io.webcall.relay.stats.DropReason;
import io.webcall.relay.stats.RelayMetrics;
import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.DTLSClientProtocol;
import org.bouncycastle.tls.DTLSServerProtocol;
import org.bouncycastle.tls.DTLSTransport;
import org.bouncycastle.tls.TlsFatalAlert;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * The DTLS association of one WebRTC endpoint (RFC 5764): starts the BouncyCastle handshake in the relay's role,
 * checks the peer's certificate against its SDP fingerprint (RFC 5763 section 5), hands the exported SRTP keys
 * over, and keeps answering records that arrive after the handshake. Its records travel on the endpoint's
 * current ICE agent.
 */
public final class DtlsHandshake {

    private static final Logger LOG = Logger.getLogger(DtlsHandshake.class);

    private final String callId;
    private final IceAgents ice;
    private final DtlsIdentity identity;
    private final RelayMetrics metrics;
    private final ExecutorService executor;
    private final Consumer<SrtpKeys> onKeys;
    private final Consumer<String> onFailure;
    private final PacketQueueTransport packets;
    private volatile DtlsRole role;
    /** The peer's a=fingerprint, fixed with the role; checked by the handshake. */
    private volatile String peerFingerprintAlgorithm;
    private volatile String peerFingerprint;
    /** Set once the handshake task was handed to the executor. */
    private final AtomicBoolean started = new AtomicBoolean();
    /** The association once the handshake is done, until it ends. */
    private volatile DTLSTransport established;
    /** Set while a task reads records that arrived after the handshake. */
    private final AtomicBoolean reading = new AtomicBoolean();
    private volatile boolean closed;

    /**
     * @param executor runs the blocking handshake and the reads after it
     * @param onKeys receives the SRTP keys when the handshake succeeds (on the executor's thread)
     * @param onFailure receives the reason when the handshake fails (fingerprint mismatch, failed handshake)
     */
    public DtlsHandshake(String callId, IceAgents ice, DtlsIdentity identity, RelayMetrics metrics,
                         ExecutorService executor, Consumer<SrtpKeys> onKeys, Consumer<String> onFailure) {
        this.callId = callId;
        this.ice = ice;
        this.identity = identity;
        this.metrics = metrics;
        this.executor = executor;
        this.onKeys = onKeys;
        this.onFailure = onFailure;
        this.packets = new PacketQueueTransport(this::send);
    }

    /** The relay's DTLS role, or null before the first offer or answer fixed it. */
    public DtlsRole role() {
        return role;
    }

    /**
     * Whether {@code algorithm} and {@code fingerprint} name the certificate this association checks the peer
     * against (fingerprints compare without regard to case, RFC 8122 section 5); true before the first offer or
     * answer fixed one.
     */
    public boolean isPeerFingerprint(String algorithm, String fingerprint) {
        String current = peerFingerprint;
        return current == null || (current.equalsIgnoreCase(fingerprint)
                && peerFingerprintAlgorithm.equalsIgnoreCase(algorithm));
    }

    /**
     * Fixes the relay's DTLS role and the peer's fingerprint once; later calls keep the existing association. No
     * work starts here: as server the handshake starts when the peer's first record (its ClientHello) arrives, as
     * client when ICE has a selected pair, so a call that never gets that far (no media, an unanswered call) costs
     * neither a thread nor a timer.
     */
    public synchronized void start(DtlsRole relayRole, String fingerprintAlgorithm, String fingerprint) {
        if (role != null) {
            return;
        }
        peerFingerprintAlgorithm = fingerprintAlgorithm;
        peerFingerprint = fingerprint;
        role = relayRole;
        if (relayRole == DtlsRole.SERVER) {
            startServerIfHello();
        } else {
            startClientWhenConnected(ice.current());
        }
    }

    /**
     * A DTLS record from the peer (first byte 20..63, RFC 7983 section 7): queued for the handshake, or for the
     * association after it; a record that finds the queue full is dropped and counted.
     */
    public void onRecord(byte[] b, int off, int len) {
        if (!packets.offer(b, off, len)) {
            metrics.drop(DropReason.DTLS_OVERFLOW);
        } else if (established != null) {
            readAfterHandshake();
        } else if (!started.get()) {
            startServerIfHello();
        }
    }

    /** As DTLS server: starts the handshake once the role is known and a record from the peer waits. */
    private void startServerIfHello() {
        if (role == DtlsRole.SERVER && !closed && packets.hasPending() && started.compareAndSet(false, true)) {
            launch(DtlsRole.SERVER);
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
                if (started.compareAndSet(false, true)) {
                    launch(DtlsRole.CLIENT);
                }
                return;
            }
            IceTransport current = ice.current();
            if (current != agent) {
                startClientWhenConnected(current);
            }
        });
    }

    private void launch(DtlsRole relayRole) {
        String algorithm = peerFingerprintAlgorithm;
        String fingerprint = peerFingerprint;
        try {
            executor.execute(() -> run(relayRole, algorithm, fingerprint));
        } catch (RejectedExecutionException e) {
            LOG.debugf("call %s: relay stopping, no DTLS handshake", callId);
        }
    }

    private void run(DtlsRole relayRole, String fingerprintAlgorithm, String fingerprint) {
        DTLSTransport transport;
        try {
            SrtpKeys keys;
            if (relayRole == DtlsRole.SERVER) {
                DtlsServer server = new DtlsServer(identity, fingerprintAlgorithm, fingerprint);
                transport = new DTLSServerProtocol().accept(server, packets);
                keys = server.keys();
            } else {
                DtlsClient client = new DtlsClient(identity, fingerprintAlgorithm, fingerprint);
                transport = new DTLSClientProtocol().connect(client, packets);
                keys = client.keys();
            }
            onKeys.accept(keys);
            LOG.infof("call %s: DTLS-SRTP established (%s, %s)", callId, relayRole, keys.profile());
        } catch (Exception e) {
            if (closed) {
                return;
            }
            boolean mismatch = isFingerprintMismatch(e);
            String failure = mismatch ? "dtls fingerprint mismatch" : "dtls handshake failed: " + e.getMessage();
            metrics.dtlsFailure(mismatch);
            LOG.warnf("call %s: %s", callId, failure);
            onFailure.accept(failure);
            return;
        }
        // no thread waits on the association from now on: records that still arrive (the peer retransmitting
        // its last flight, close_notify) are read by a short task when they come (see readAfterHandshake)
        established = transport;
        if (packets.hasPending()) {
            readAfterHandshake();
        }
    }

    /**
     * Reads DTLS records that arrive after the handshake on the shared executor, so the association still
     * answers a retransmitted final flight (RFC 6347 section 4.2.4) without a thread per session.
     */
    private void readAfterHandshake() {
        DTLSTransport transport = established;
        if (transport == null || closed || !reading.compareAndSet(false, true)) {
            return;
        }
        executor.execute(() -> {
            byte[] buf = new byte[2048];
            try {
                while (!closed && packets.hasPending()) {
                    transport.receive(buf, 0, buf.length, 1);
                }
            } catch (IOException | RuntimeException e) {
                // the association is over (fatal alert or close): later records have nobody to answer them
                established = null;
                packets.discardPending();
                LOG.debugf("call %s: DTLS after handshake: %s", callId, e.getMessage());
            } finally {
                reading.set(false);
            }
            if (!closed && packets.hasPending()) {
                readAfterHandshake();
            }
        });
    }

    /**
     * Sends a DTLS flight. The peer may finish ICE (and send its ClientHello) a moment before the relay's
     * agent has a valid pair; the relay waits briefly for it, and a record that still cannot go out is
     * dropped: DTLS retransmits flights (RFC 6347 section 4.2.4).
     */
    private void send(byte[] buf, int off, int len) {
        IceTransport transport = ice.current();
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

    /** A failure caused by the peer's certificate not matching its SDP fingerprint (RFC 5763 section 5). */
    private static boolean isFingerprintMismatch(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof FingerprintMismatchException) {
                return true;
            }
            if (t instanceof TlsFatalAlert alert && alert.getAlertDescription() == AlertDescription.bad_certificate) {
                return true;
            }
        }
        return false;
    }

    /** Ends the association: a running handshake fails quietly and later records are not read. */
    public synchronized void close() {
        closed = true;
        packets.close();
    }
}
