package io.webcall.relay.session;

import io.webcall.relay.rtp.RtpPackets;
import io.webcall.relay.sdp.Codec;
import io.webcall.relay.sdp.Direction;
import io.webcall.relay.stats.DropReason;
import io.webcall.relay.stats.RelayMetrics;
import io.webcall.relay.stats.RttTracker;
import io.webcall.relay.stats.StreamStats;

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
        int pt = RtpPackets.payloadType(buf, off);
        received.onPacket(buf, off, len, clockRate(pt), true);
        session.touchMedia();
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
        if (target.endpoint.sendRtp(buf, off, len)) {
            target.sent.onPacket(len);
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
        target.rtt.onSent(buf, off, len);
        if (target.endpoint.sendRtcp(buf, off, len)) {
            metrics.relayed();
        }
    }

    @Override
    public void onFailure(String reason) {
        session.fail(reason);
    }
}
