package io.webcall.relay.peer;

import io.webcall.relay.dtls.DtlsClient;
import io.webcall.relay.dtls.DtlsIdentity;
import io.webcall.relay.dtls.DtlsServer;
import io.webcall.relay.dtls.PacketQueueTransport;
import io.webcall.relay.dtls.SrtpKeys;
import io.webcall.relay.ice.IceSystemDefaults;
import io.webcall.relay.rtcp.RtcpReports;
import io.webcall.relay.rtp.RtpPackets;
import io.webcall.relay.sdp.IceParameters;
import io.webcall.relay.sdp.SdpParser;
import io.webcall.relay.sdp.SessionDescription;
import io.webcall.relay.srtp.PacketBuffer;
import io.webcall.relay.srtp.SrtpResult;
import io.webcall.relay.srtp.SrtpSession;
import org.bouncycastle.tls.DTLSClientProtocol;
import org.bouncycastle.tls.DTLSServerProtocol;
import org.ice4j.Transport;
import org.ice4j.TransportAddress;
import org.ice4j.ice.Agent;
import org.ice4j.ice.CandidateType;
import org.ice4j.ice.Component;
import org.ice4j.ice.IceMediaStream;
import org.ice4j.ice.IceProcessingState;
import org.ice4j.ice.KeepAliveStrategy;
import org.ice4j.ice.RemoteCandidate;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A WebRTC endpoint for tests, built from the same libraries a browser-side stack would use in Java:
 * an ice4j agent (controlling, loopback host candidate), a BouncyCastle DTLS client or server with its
 * own certificate, and jitsi-srtp. It writes an SDP offer or answer, connects to the relay, sends RTP and
 * collects what comes back, decrypted.
 */
public final class TestPeer implements AutoCloseable {

    static {
        IceSystemDefaults.apply();
    }

    /** One received, decrypted RTP packet. */
    public record Received(int payloadType, int sequence, int ssrc, byte[] payload, long receivedNanos) {
    }

    private volatile DtlsIdentity identity = new DtlsIdentity();
    private volatile Agent agent;
    private volatile Component component;
    private volatile IceMediaStream stream;
    private volatile PacketQueueTransport dtls;
    private final BlockingQueue<Received> received = new LinkedBlockingQueue<>();
    private final AtomicLong rtcpReceived = new AtomicLong();
    private final int ssrc = (int) (Math.random() * Integer.MAX_VALUE);
    private volatile SrtpSession srtp;
    private volatile boolean closed;
    private Thread reader;
    private int seq = 1000;
    private long timestamp = 160_000;
    private String advertisedFingerprint;
    private volatile String localSetup = "actpass";

    public TestPeer() throws IOException {
        newAgent();
        dtls = new PacketQueueTransport((buf, off, len) -> component.send(buf, off, len));
        advertisedFingerprint = identity.fingerprint();
    }

    private void newAgent() throws IOException {
        newAgent(0);
    }

    private void newAgent(int localPort) throws IOException {
        Agent fresh = new Agent();
        fresh.setUseDynamicPorts(false);
        fresh.addCandidateHarvester(new LoopbackHostHarvester(localPort));
        IceMediaStream freshStream = fresh.createMediaStream("audio");
        Component freshComponent = fresh.createComponent(freshStream, KeepAliveStrategy.SELECTED_ONLY, true);
        agent = fresh;
        stream = freshStream;
        component = freshComponent;
    }

    /**
     * ICE restart (RFC 8445 section 9): a new agent with new credentials and a new local candidate; the DTLS
     * association and SRTP keys stay. Returns the new offer.
     */
    public String restartIce() throws IOException {
        Agent old = agent;
        Component oldComponent = component;
        newAgent();
        oldAgents.add(old);
        previousComponent = oldComponent;
        if (reader != null) {
            Thread previousReader = new Thread(() -> read(() -> oldComponent), "test-peer-previous-path-reader");
            previousReader.setDaemon(true);
            previousReader.start();
        }
        return offer("sendrecv");
    }

    private volatile Component previousComponent;

    /**
     * ICE restart (RFC 8445 section 9) from the same local port: the old agent is freed and a new one with new
     * credentials gathers on the port the old one used, so the relay sees the new credentials from the remote
     * address it already knows. The DTLS association and SRTP keys stay. Returns the new offer.
     */
    public String restartIceFromSamePort() throws IOException {
        int port = localPort();
        Agent old = agent;
        old.free();
        newAgent(port);
        if (localPort() != port) {
            throw new IOException("the restarted agent did not get port " + port);
        }
        return offer("sendrecv");
    }

    /** Sends RTP on the pair of the agent before the last ICE restart (the path a browser keeps until the new one works). */
    public void sendRtpOnPreviousPath(int payloadType, byte[] payload) throws IOException {
        byte[] packet = rtp(payloadType, payload, false);
        PacketBuffer pb = PacketBuffer.copyOf(packet, 0, packet.length);
        if (!srtp.protectRtp(pb)) {
            throw new IOException("SRTP protect failed");
        }
        previousComponent.send(pb.getBuffer(), pb.getOffset(), pb.getLength());
    }

    private final List<Agent> oldAgents = new ArrayList<>();

    /** Runs ICE only, toward the relay's new credentials after a restart. */
    public CompletableFuture<Void> reconnectIce(String relaySdp) {
        return startIce(IceParameters.of(SdpParser.parse(relaySdp)));
    }

    /**
     * A new certificate (as a new RTCPeerConnection would have): later offers and answers carry its fingerprint,
     * and the next {@link #reconnect} runs a new DTLS handshake with it. Records of the old association that still
     * arrive are not mixed into the new one.
     */
    public void newCertificate() {
        identity = new DtlsIdentity();
        advertisedFingerprint = identity.fingerprint();
        dtls = new PacketQueueTransport((buf, off, len) -> component.send(buf, off, len));
    }

    /** The peer's current certificate fingerprint (sha-256). */
    public String fingerprint() {
        return identity.fingerprint();
    }

    /**
     * After {@link #restartIce} and {@link #newCertificate}: runs ICE toward the relay's new credentials and a new
     * DTLS handshake in the role the relay's SDP implies; media then uses the new association's SRTP keys.
     */
    public CompletableFuture<Void> reconnect(String relaySdp) {
        IceParameters remote = IceParameters.of(SdpParser.parse(relaySdp));
        return startIce(remote).thenApplyAsync(v -> handshake(remote));
    }

    /** Makes the peer advertise a fingerprint that is not its certificate's (to test the relay's check). */
    public void advertiseWrongFingerprint() {
        char[] chars = identity.fingerprint().toCharArray();
        chars[0] = chars[0] == 'A' ? 'B' : 'A';
        advertisedFingerprint = new String(chars);
    }

    public String localUfrag() {
        return agent.getLocalUfrag();
    }

    private int localPort() {
        return component.getLocalCandidates().get(0).getTransportAddress().getPort();
    }

    /** A browser-like offer: Opus, PCMU, PCMA, an unsupported codec and telephone-event. */
    public String offer(String direction) {
        return offer(direction, "111 0 8 13 101", "actpass");
    }

    /**
     * An offer with the given payload formats (of 111 Opus, 0 PCMU, 8 PCMA, 13 CN, 101 telephone-event/8000)
     * and DTLS setup attribute ({@code actpass}, {@code active} or {@code passive}).
     */
    public String offer(String direction, String formats, String setup) {
        agent.setControlling(true);
        return sdp(setup, direction, formats, true, "0");
    }

    /** An answer to the relay's offer, taking its formats. */
    public String answer(String relayOffer) {
        return answer(relayOffer, "active");
    }

    /** An answer to the relay's offer with the given DTLS setup ({@code active} or {@code passive}). */
    public String answer(String relayOffer, String setup) {
        agent.setControlling(false);
        SessionDescription sdp = SdpParser.parse(relayOffer);
        String formats = String.join(" ", sdp.audio().formats());
        String mid = sdp.audio().attribute("mid").orElse("0");
        return sdp(setup, "sendrecv", formats, false, mid);
    }

    private String sdp(String setup, String direction, String formats, boolean allRtpmaps, String mid) {
        localSetup = setup;
        StringBuilder sb = new StringBuilder();
        sb.append("v=0\r\no=- 4611731400430051336 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n");
        sb.append("a=group:BUNDLE ").append(mid).append("\r\n");
        sb.append("m=audio 9 UDP/TLS/RTP/SAVPF ").append(formats).append("\r\n");
        sb.append("c=IN IP4 0.0.0.0\r\na=rtcp:9 IN IP4 0.0.0.0\r\n");
        sb.append("a=candidate:1 1 udp 2122260223 127.0.0.1 ").append(localPort()).append(" typ host generation 0\r\n");
        sb.append("a=candidate:2 1 udp 2122260222 1f0c7e6d-0000-4000-8000-000000000001.local 9 typ host\r\n");
        sb.append("a=ice-ufrag:").append(agent.getLocalUfrag()).append("\r\n");
        sb.append("a=ice-pwd:").append(agent.getLocalPassword()).append("\r\n");
        sb.append("a=fingerprint:sha-256 ").append(advertisedFingerprint).append("\r\n");
        sb.append("a=setup:").append(setup).append("\r\n");
        sb.append("a=mid:").append(mid).append("\r\n");
        sb.append("a=").append(direction).append("\r\n");
        sb.append("a=rtcp-mux\r\n");
        for (String f : formats.split(" ")) {
            switch (f) {
                case "111" -> sb.append("a=rtpmap:111 opus/48000/2\r\na=fmtp:111 minptime=10;useinbandfec=1\r\n");
                case "0" -> sb.append("a=rtpmap:0 PCMU/8000\r\n");
                case "8" -> sb.append("a=rtpmap:8 PCMA/8000\r\n");
                case "13" -> sb.append("a=rtpmap:13 CN/8000\r\n");
                case "101" -> sb.append("a=rtpmap:101 telephone-event/8000\r\na=fmtp:101 0-15\r\n");
                default -> {
                }
            }
        }
        return sb.toString();
    }

    /**
     * Takes the relay's SDP (answer or offer), runs ICE toward the relay's candidate and the DTLS handshake
     * in the role the SDP implies, and starts reading media.
     */
    public CompletableFuture<Void> connect(String relaySdp) {
        IceParameters remote = IceParameters.of(SdpParser.parse(relaySdp));
        CompletableFuture<Void> iceDone = startIce(remote);
        reader = new Thread(() -> read(() -> component), "test-peer-reader");
        reader.setDaemon(true);
        reader.start();
        return iceDone.thenApplyAsync(v -> handshake(remote));
    }

    /** The DTLS handshake in the role the relay's SDP implies (RFC 5763 section 5); media then uses its keys. */
    private Void handshake(IceParameters remote) {
        // the side that said (or was told) "passive" is the DTLS server
        boolean peerIsServer = remote.setup().equals("active") || localSetup.equals("passive");
        try {
            SrtpKeys keys;
            if (peerIsServer) {
                DtlsServer server = new DtlsServer(identity, remote.fingerprintAlgorithm(), remote.fingerprint());
                new DTLSServerProtocol().accept(server, dtls);
                keys = server.keys();
            } else {
                DtlsClient client = new DtlsClient(identity, remote.fingerprintAlgorithm(), remote.fingerprint());
                new DTLSClientProtocol().connect(client, dtls);
                keys = client.keys();
            }
            srtp = new SrtpSession(keys);
            return null;
        } catch (IOException e) {
            throw new IllegalStateException("DTLS failed: " + e, e);
        }
    }

    private CompletableFuture<Void> startIce(IceParameters remote) {
        Agent agent = this.agent;
        Component component = this.component;
        IceMediaStream stream = this.stream;
        stream.setRemoteUfrag(remote.ufrag());
        stream.setRemotePassword(remote.password());
        for (var c : remote.candidates()) {
            try {
                component.addRemoteCandidate(new RemoteCandidate(new TransportAddress(InetAddress.getByName(c.address()),
                        c.port(), Transport.UDP), component, CandidateType.HOST_CANDIDATE, c.foundation(),
                        c.priority(), null));
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
        CompletableFuture<Void> iceDone = new CompletableFuture<>();
        agent.addStateChangeListener(evt -> {
            if (evt.getNewValue() == IceProcessingState.COMPLETED || evt.getNewValue() == IceProcessingState.TERMINATED) {
                iceDone.complete(null);
            } else if (evt.getNewValue() == IceProcessingState.FAILED) {
                iceDone.completeExceptionally(new IOException("peer ICE failed"));
            }
        });
        agent.startConnectivityEstablishment();
        return iceDone;
    }

    private void read(java.util.function.Supplier<Component> from) {
        byte[] buf = new byte[2048];
        DatagramPacket packet = new DatagramPacket(buf, buf.length);
        while (!closed) {
            try {
                DatagramSocket socket = from.get().getSocket();
                socket.setSoTimeout(200);
                packet.setData(buf, 0, buf.length);
                socket.receive(packet);
            } catch (SocketTimeoutException e) {
                continue;
            } catch (IOException e) {
                if (closed) {
                    return;
                }
                continue;
            }
            int len = packet.getLength();
            switch (RtpPackets.classify(buf, 0, len)) {
                case DTLS -> dtls.offer(buf, 0, len);
                case RTP -> {
                    SrtpSession s = srtp;
                    if (s == null) {
                        continue;
                    }
                    PacketBuffer pb = PacketBuffer.copyOf(buf, 0, len);
                    if (s.unprotectRtp(pb) == SrtpResult.OK) {
                        byte[] b = pb.getBuffer();
                        int off = pb.getOffset();
                        int cc = b[off] & 0x0f;
                        int headerLen = 12 + 4 * cc;
                        lastReceivedSsrc = RtpPackets.ssrc(b, off);
                        received.add(new Received(RtpPackets.payloadType(b, off), RtpPackets.sequence(b, off),
                                RtpPackets.ssrc(b, off), Arrays.copyOfRange(b, off + headerLen, off + pb.getLength()),
                                System.nanoTime()));
                    }
                }
                case RTCP -> {
                    rtcpReceived.incrementAndGet();
                    SrtpSession s = srtp;
                    PacketBuffer pb = PacketBuffer.copyOf(buf, 0, len);
                    if (s != null && s.unprotectRtcp(pb) == SrtpResult.OK) {
                        onRtcp(Arrays.copyOfRange(pb.getBuffer(), pb.getOffset(), pb.getOffset() + pb.getLength()));
                    }
                }
                default -> {
                }
            }
        }
    }

    public int ssrc() {
        return ssrc;
    }

    // ---- RTCP (RFC 3550 section 6.4): the peer's own reports and what it learns from the relay's ----

    private volatile int lastReceivedSsrc;
    private long packetsSent;
    private long octetsSent;
    private final java.util.Map<Long, Long> sentReports = new java.util.concurrent.ConcurrentHashMap<>();
    private volatile long relaySrMiddle;
    private volatile long relaySrArrivalNanos;
    private final BlockingQueue<RtcpReports.ReportBlock> blocksAboutMe = new LinkedBlockingQueue<>();
    private volatile double rttMs = -1;

    private void onRtcp(byte[] p) {
        int at = 0;
        while (at + 8 <= p.length) {
            int count = p[at] & 0x1f;
            int pt = p[at + 1] & 0xff;
            int words = ((p[at + 2] & 0xff) << 8) | (p[at + 3] & 0xff);
            if (pt == 200 && at + 28 <= p.length) {
                relaySrMiddle = ((RtpPackets.readUnsignedInt(p, at + 8) & 0xffff) << 16)
                        | (RtpPackets.readUnsignedInt(p, at + 12) >>> 16);
                relaySrArrivalNanos = System.nanoTime();
            }
            int blocks = pt == 200 ? at + 28 : pt == 201 ? at + 8 : -1;
            for (int i = 0; blocks > 0 && i < count && blocks + 24 <= p.length; i++, blocks += 24) {
                long word = RtpPackets.readUnsignedInt(p, blocks + 4);
                long lost = word & 0xffffff;
                RtcpReports.ReportBlock block = new RtcpReports.ReportBlock((int) RtpPackets.readUnsignedInt(p, blocks),
                        (int) (word >>> 24), lost >= 0x800000 ? lost - 0x1000000 : lost,
                        RtpPackets.readUnsignedInt(p, blocks + 8), RtpPackets.readUnsignedInt(p, blocks + 12),
                        RtpPackets.readUnsignedInt(p, blocks + 16), RtpPackets.readUnsignedInt(p, blocks + 20));
                if (block.ssrc() == ssrc) {
                    Long sentAt = sentReports.get(block.lastSr());
                    if (block.lastSr() != 0 && sentAt != null) {
                        rttMs = (System.nanoTime() - sentAt) / 1e6 - block.delaySinceLastSr() * 1000.0 / 65536;
                    }
                    blocksAboutMe.add(block);
                }
            }
            at += (words + 1) * 4;
        }
    }

    /** Waits for the relay's next sender report; false on timeout. */
    public boolean awaitRelaySenderReport(long millis) throws InterruptedException {
        long since = System.nanoTime();
        long deadline = since + millis * 1_000_000;
        while (System.nanoTime() < deadline) {
            if (relaySrArrivalNanos > since) {
                return true;
            }
            Thread.sleep(10);
        }
        return false;
    }

    /** Waits for a report block of the relay about this peer's stream; null on timeout. */
    public RtcpReports.ReportBlock pollReportAboutMe(long millis) throws InterruptedException {
        return blocksAboutMe.poll(millis, TimeUnit.MILLISECONDS);
    }

    /** Round trip measured by this peer from the relay's report blocks on its SRs (RFC 3550 6.4.1); -1 if none. */
    public double rttMs() {
        return rttMs;
    }

    /**
     * Sends an SR about what this peer sent, with a report block on the relay's stream quoting the relay's
     * last SR (LSR) and the time since it arrived (DLSR).
     */
    public void sendReport() throws IOException {
        sendReportQuoting(lastRelaySr());
    }

    /** The relay's last SR as this peer saw it: {NTP middle 32 bits, arrival nanoTime}; zeros if none yet. */
    public long[] lastRelaySr() {
        return new long[] {relaySrMiddle, relaySrArrivalNanos};
    }

    /** Like {@link #sendReport()}, quoting a given earlier SR of the relay (from {@link #lastRelaySr()}). */
    public void sendReportQuoting(long[] relaySr) throws IOException {
        java.time.Instant now = java.time.Instant.now();
        long nanos = System.nanoTime();
        long lsr = relaySr[0];
        long dlsr = relaySr[1] == 0 ? 0 : (nanos - relaySr[1]) * 65536 / 1_000_000_000L;
        RtcpReports.ReportBlock block = lastReceivedSsrc == 0 ? null
                : new RtcpReports.ReportBlock(lastReceivedSsrc, 0, 0, 0, 0, lsr, dlsr);
        byte[] report;
        synchronized (this) {
            report = RtcpReports.compound(ssrc, new RtcpReports.SenderInfo(now, timestamp, packetsSent, octetsSent),
                    block, "test-peer");
        }
        sentReports.put(RtcpReports.ntpMiddle(now), nanos);
        PacketBuffer pb = PacketBuffer.copyOf(report, 0, report.length);
        if (!srtp.protectRtcp(pb)) {
            throw new IOException("SRTCP protect failed");
        }
        component.send(pb.getBuffer(), pb.getOffset(), pb.getLength());
    }

    /** The local address of the peer's selected pair (its current agent), or null before ICE completes. */
    public java.net.InetSocketAddress localAddress() {
        org.ice4j.ice.CandidatePair pair = component.getSelectedPair();
        if (pair == null) {
            return null;
        }
        org.ice4j.TransportAddress a = pair.getLocalCandidate().getTransportAddress();
        return new java.net.InetSocketAddress(a.getAddress(), a.getPort());
    }

    /** Sends one RTP packet with the given payload type and payload, SRTP-protected. */
    public void sendRtp(int payloadType, byte[] payload) throws IOException {
        sendRtp(payloadType, payload, false);
    }

    public byte[] sendRtp(int payloadType, byte[] payload, boolean marker) throws IOException {
        byte[] packet = rtp(payloadType, payload, marker);
        synchronized (this) {
            packetsSent++;
            octetsSent += payload.length;
        }
        PacketBuffer pb = PacketBuffer.copyOf(packet, 0, packet.length);
        if (!srtp.protectRtp(pb)) {
            throw new IOException("SRTP protect failed");
        }
        byte[] wire = Arrays.copyOfRange(pb.getBuffer(), pb.getOffset(), pb.getOffset() + pb.getLength());
        component.send(wire, 0, wire.length);
        return wire;
    }

    /** Sends raw bytes on the peer's ICE pair (for replay and tampering tests). */
    public void sendRaw(byte[] wire) throws IOException {
        component.send(wire, 0, wire.length);
    }

    private byte[] rtp(int payloadType, byte[] payload, boolean marker) {
        byte[] p = new byte[12 + payload.length];
        p[0] = (byte) 0x80;
        p[1] = (byte) ((marker ? 0x80 : 0) | payloadType);
        int s = seq++;
        p[2] = (byte) (s >> 8);
        p[3] = (byte) s;
        long ts = timestamp;
        timestamp += 160;
        p[4] = (byte) (ts >> 24);
        p[5] = (byte) (ts >> 16);
        p[6] = (byte) (ts >> 8);
        p[7] = (byte) ts;
        RtpPackets.setSsrc(p, 0, ssrc);
        System.arraycopy(payload, 0, p, 12, payload.length);
        return p;
    }

    /** Waits for a packet; null on timeout. */
    public Received poll(long millis) throws InterruptedException {
        return received.poll(millis, TimeUnit.MILLISECONDS);
    }

    /** Drains what arrived within the given time. */
    public List<Received> collect(long millis) throws InterruptedException {
        List<Received> all = new ArrayList<>();
        long end = System.nanoTime() + millis * 1_000_000;
        Received r;
        while ((r = received.poll(Math.max(0, (end - System.nanoTime()) / 1_000_000), TimeUnit.MILLISECONDS)) != null) {
            all.add(r);
        }
        return all;
    }

    public void clearReceived() {
        received.clear();
    }

    @Override
    public void close() {
        closed = true;
        dtls.close();
        agent.free();
        oldAgents.forEach(Agent::free);
        if (srtp != null) {
            srtp.close();
        }
    }
}
