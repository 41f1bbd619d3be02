package io.webcall.relay.session;

import io.webcall.relay.rtcp.RtcpReports;
import io.webcall.relay.rtp.RtpPackets;
import io.webcall.relay.sdp.Codec;
import io.webcall.relay.sdp.Direction;
import io.webcall.relay.stats.DropReason;
import io.webcall.relay.stats.RelayMetrics;
import io.webcall.relay.stats.RttTracker;
import io.webcall.relay.stats.StreamStats;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * One side of a call at the relay: its endpoint, what its SDP says (codecs in its own payload type
 * numbering, direction) and the forwarding toward the other leg, with payload types mapped
 * (RFC 3264 section 6.1: each side receives the payload type numbers it wrote).
 */
public final class Leg implements PacketListener {

    private final MediaSession session;
    private final LegKind kind;
    private final MediaEndpoint endpoint;
    private final RelayMetrics metrics;
    private final long sdpSessionId = ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE / 2);
    private long sdpVersion = 1;
    private volatile String tag;
    private volatile List<Codec> codecs = List.of();
    private volatile Direction direction = Direction.SENDRECV;
    private volatile String ptime;
    private volatile Leg peer;
    private volatile int[] ptToPeer = emptyMap();
    private final int echoSsrc = ThreadLocalRandom.current().nextInt();
    private final StreamStats received = new StreamStats();
    private final StreamStats sent = new StreamStats();
    private final RttTracker rtt = new RttTracker();
    private volatile String mid;
    /** SSRC of the stream last received from this leg's endpoint. */
    private int receivedSsrc;
    /** The stream the relay last sent toward this leg's endpoint: SSRC, RTP timestamp, when, clock rate. */
    private int sentSsrc;
    private long sentTimestamp;
    private long sentAtNanos;
    private int sentClockRate;
    /** When RTCP from the other endpoint was last forwarded to this leg's endpoint. */
    private volatile long rtcpForwardedNanos;
    private long lastReportNanos;
    /** Serialises RTCP toward this leg's endpoint (forwarded and the relay's own share an SRTCP context). */
    private final Object rtcpLock = new Object();

    Leg(MediaSession session, LegKind kind, String tag, MediaEndpoint endpoint, RelayMetrics metrics) {
        this.session = session;
        this.kind = kind;
        this.tag = tag;
        this.endpoint = endpoint;
        this.metrics = metrics;
        endpoint.setListener(this);
    }

    public LegKind kind() { return kind; }
    public String tag() { return tag; }
    void tag(String value) { this.tag = value; }
    public MediaEndpoint endpoint() { return endpoint; }
    public List<Codec> codecs() { return codecs; }
    void codecs(List<Codec> value) { this.codecs = List.copyOf(value); }
    public Direction direction() { return direction; }
    void direction(Direction value) { this.direction = value; }
    public String ptime() { return ptime; }
    void ptime(String value) { this.ptime = value; }
    public String mid() { return mid; }
    void mid(String value) { this.mid = value; }
    public StreamStats received() { return received; }
    public StreamStats sent() { return sent; }
    public RttTracker rtt() { return rtt; }

    synchronized long sdpSessionId() { return sdpSessionId; }

    synchronized long nextSdpVersion() { return sdpVersion++; }

    /**
     * Connects this leg to its peer (itself for echo) with the negotiated codecs: {@code local} in this leg's
     * numbering, {@code remote} the same codecs in the peer's numbering, index by index.
     */
    void connect(Leg target, List<Codec> local, List<Codec> remote) {
        int[] map = emptyMap();
        for (int i = 0; i < local.size(); i++) {
            map[local.get(i).payloadType()] = remote.get(i).payloadType();
        }
        this.ptToPeer = map;
        this.peer = target;
    }

    /** Stops forwarding in both directions from this leg. */
    void disconnect() {
        this.peer = null;
        this.ptToPeer = emptyMap();
    }

    private static int[] emptyMap() {
        int[] map = new int[128];
        Arrays.fill(map, -1);
        return map;
    }

    private int clockRate(int pt) {
        for (Codec c : codecs) {
            if (c.payloadType() == pt) {
                return c.clockRate();
            }
        }
        return 0;
    }

    @Override
    public void onRtp(byte[] buf, int off, int len) {
        // one clock read per packet: arrival time for the jitter, the session's last media and the sent figures
        long now = System.nanoTime();
        int pt = RtpPackets.payloadType(buf, off);
        int clock = clockRate(pt);
        received.onPacket(buf, off, len, clock, true, now);
        receivedSsrc = RtpPackets.ssrc(buf, off);
        session.touchMedia(now);
        Leg target = peer;
        if (target == null) {
            metrics.drop(DropReason.NOT_CONNECTED);
            return;
        }
        if (!direction.sends() || !target.direction.receives()) {
            metrics.drop(DropReason.HOLD);
            return;
        }
        int mapped = ptToPeer[pt];
        if (mapped < 0) {
            metrics.drop(DropReason.UNKNOWN_PAYLOAD);
            return;
        }
        RtpPackets.setPayloadType(buf, off, mapped);
        if (target == this) {
            RtpPackets.setSsrc(buf, off, echoSsrc);
        }
        int ssrc = RtpPackets.ssrc(buf, off);
        long timestamp = RtpPackets.timestamp(buf, off);
        if (target.endpoint.sendRtp(buf, off, len)) {
            target.sent.onPacket(len, now);
            target.sentSsrc = ssrc;
            target.sentTimestamp = timestamp;
            target.sentAtNanos = now;
            target.sentClockRate = clock;
            metrics.relayed();
        }
    }

    @Override
    public void onRtcp(byte[] buf, int off, int len) {
        session.touchMedia();
        rtt.onReceived(buf, off, len);
        Leg target = peer;
        if (target == null || target == this) {
            // echo: the relay does not reflect RTCP (it would describe the endpoint's own stream)
            return;
        }
        target.rtcpForwardedNanos = System.nanoTime();
        synchronized (target.rtcpLock) {
            target.rtt.onSent(buf, off, len);
            if (target.endpoint.sendRtcp(buf, off, len)) {
                metrics.relayed();
            }
        }
    }

    /**
     * Sends the relay's own RTCP report to this leg's endpoint when nobody else does (RFC 3550 section 6.4):
     * always in echo mode, where the relay is the far end, and in a bridge while the other endpoint sends no
     * RTCP (a PBX without RTCP). An SR describes what the relay sent toward the endpoint and a report block
     * what it received from it, quoting the endpoint's last SR (LSR/DLSR) so the endpoint can measure the
     * round trip; the endpoint's report blocks on the relay's SR give the relay the RTT of this leg.
     *
     * @param now a {@link System#nanoTime()} value
     * @param interval the reporting interval
     */
    void maybeSendReport(long now, long interval) {
        Leg target = peer;
        if (target == null || now - lastReportNanos < interval) {
            return;
        }
        if (target != this && now - rtcpForwardedNanos < interval) {
            return;
        }
        StreamStats.Snapshot out = sent.snapshot(-1);
        if (out.packets() == 0 && received.snapshot(-1).packets() == 0) {
            return;  // no media yet: the transport may not even have keys
        }
        lastReportNanos = now;
        long nanos = System.nanoTime();
        RtcpReports.SenderInfo sender = null;
        int ssrc = echoSsrc;
        if (out.packets() > 0) {
            ssrc = sentSsrc;
            long elapsedUnits = (nanos - sentAtNanos) * sentClockRate / 1_000_000_000L;
            sender = new RtcpReports.SenderInfo(Instant.now(), sentTimestamp + elapsedUnits, out.packets(),
                    Math.max(0, out.bytes() - 12 * out.packets()));
        }
        StreamStats.Reception in = received.reception();
        RtcpReports.ReportBlock block = in == null ? null : new RtcpReports.ReportBlock(receivedSsrc,
                in.fractionLost(), in.cumulativeLost(), in.extendedHighestSequence(), in.jitter(), rtt.lastSr(),
                rtt.delaySinceLastSr(nanos));
        byte[] report = RtcpReports.compound(ssrc, sender, block, "relay-" + Integer.toHexString(echoSsrc));
        synchronized (rtcpLock) {
            rtt.onSent(report, 0, report.length);
            endpoint.sendRtcp(report, 0, report.length);
        }
    }

    @Override
    public void onFailure(String reason) {
        session.fail(reason);
    }
}
