package io.webcall.relay.session;

import io.webcall.relay.sdp.Codec;
import io.webcall.relay.stats.StreamStats;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Media figures of one call, as {@code GET /v1/sessions/{callId}} returns them and as they are published
 * to the {@code media-stats} topic: per direction packets, bytes, lost, jitter, RTT and an estimated MOS.
 */
public record SessionSnapshot(String callId, String event, boolean finalReport, Instant time, Instant createdAt,
                              boolean echo, boolean answered, String failure, boolean noMedia, String reason,
                              List<LegView> legs, List<DirectionView> directions) {

    /** One leg: who it faces and the state of its transport. */
    public record LegView(String name, String kind, String tag, String transport, String direction,
                          List<String> codecs) {
    }

    /**
     * One direction of media. {@code from}/{@code to} name the legs ({@code a} offered first,
     * {@code b} answered; echo flows from {@code a} back to {@code a}). Figures of what the relay received
     * from the sending endpoint; {@code forwarded} counts what went out toward the receiving endpoint.
     */
    public record DirectionView(String from, String to, long packets, long bytes, long lost, double jitterMs,
                                Double rttMs, double mos, long forwarded) {
    }

    public static SessionSnapshot of(MediaSession s, String event, boolean finalReport, String reason) {
        List<LegView> legs = new ArrayList<>();
        List<DirectionView> directions = new ArrayList<>();
        Leg a = s.a();
        Leg b = s.b();
        if (a != null) {
            legs.add(view("a", a));
        }
        if (b != null) {
            legs.add(view("b", b));
        }
        if (a != null && s.echo()) {
            directions.add(direction("a", "a", a, a));
        } else if (a != null && b != null) {
            directions.add(direction("a", "b", a, b));
            directions.add(direction("b", "a", b, a));
        }
        return new SessionSnapshot(s.callId(), event, finalReport, Instant.now(), s.createdAt(), s.echo(),
                s.answered(), s.failure(), s.noMediaReported(), reason, legs, directions);
    }

    private static LegView view(String name, Leg leg) {
        return new LegView(name, leg.kind().name().toLowerCase(), leg.tag(), leg.endpoint().state(),
                leg.direction().attribute(), leg.codecs().stream().map(Codec::rtpmap).toList());
    }

    private static DirectionView direction(String from, String to, Leg sender, Leg receiver) {
        // RTT of a direction: relay<->sender plus relay<->receiver, where known (echo: one round trip)
        double rttSender = sender.rtt().rttMs();
        double rttReceiver = sender == receiver ? -1 : receiver.rtt().rttMs();
        double rtt = rttSender < 0 && rttReceiver < 0 ? -1 : Math.max(rttSender, 0) + Math.max(rttReceiver, 0);
        StreamStats.Snapshot in = sender.received().snapshot(rtt);
        StreamStats.Snapshot out = receiver.sent().snapshot(-1);
        return new DirectionView(from, to, in.packets(), in.bytes(), in.lost(), in.jitterMs(), in.rttMs(), in.mos(),
                out.packets());
    }
}
