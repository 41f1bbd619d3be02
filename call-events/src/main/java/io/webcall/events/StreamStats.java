package io.webcall.events;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Quality of one media direction of a call, cumulative since the stream started, as measured by
 * the media relay from RTP/RTCP (RFC 3550 section 6.4: packets lost, interarrival jitter, round-trip
 * time from LSR/DLSR).
 *
 * @param packets  RTP packets received from the sender of this direction
 * @param bytes    RTP payload bytes received
 * @param lost     packets lost (expected minus received, never negative)
 * @param jitterMs interarrival jitter in milliseconds
 * @param rttMs    round-trip time in milliseconds; null when unknown
 * @param mos      estimated mean opinion score 1.0..5.0 (E-model); null when unknown
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record StreamStats(long packets, long bytes, long lost, double jitterMs, Double rttMs, Double mos) {

    public StreamStats {
        if (packets < 0) {
            throw new IllegalArgumentException("packets: must not be negative");
        }
        if (bytes < 0) {
            throw new IllegalArgumentException("bytes: must not be negative");
        }
        if (lost < 0) {
            throw new IllegalArgumentException("lost: must not be negative");
        }
        if (mos != null && (mos < 1.0 || mos > 5.0)) {
            throw new IllegalArgumentException("mos: must be 1.0..5.0, was " + mos);
        }
    }

    /** Lost packets as a fraction of expected packets (0 when nothing was expected). */
    public double lossRatio() {
        long expected = packets + lost;
        return expected == 0 ? 0.0 : (double) lost / expected;
    }
}
