package io.webcall.relay.stats;

import io.webcall.relay.rtp.RtpPackets;

/**
 * Counters of one media direction: packets, bytes, loss from RTP sequence numbers (RFC 3550 appendix
 * A.1/A.3) and interarrival jitter (RFC 3550 section 6.4.1, appendix A.8).
 */
public final class StreamStats {

    private long packets;
    private long bytes;
    private int baseSeq = -1;
    private int maxSeq;
    private long cycles;
    private long lastTransit = Long.MIN_VALUE;
    private double jitterUnits;
    private int clockRate = 8000;
    private volatile long lastPacketNanos;
    private long expectedPrior;
    private long receivedPrior;

    public void onPacket(byte[] b, int off, int len, int clock, boolean rtp) {
        onPacket(b, off, len, clock, rtp, System.nanoTime());
    }

    /**
     * Counts a packet that arrived at {@code now} (a {@link System#nanoTime()} value the caller read once for
     * everything it does with the packet).
     */
    public synchronized void onPacket(byte[] b, int off, int len, int clock, boolean rtp, long now) {
        packets++;
        bytes += len;
        lastPacketNanos = now;
        if (!rtp) {
            return;
        }
        if (clock > 0) {
            clockRate = clock;
        }
        int seq = RtpPackets.sequence(b, off);
        if (baseSeq < 0) {
            baseSeq = seq;
            maxSeq = seq;
        } else {
            int delta = (seq - maxSeq) & 0xffff;
            if (delta > 0 && delta < 0x8000) {
                if (seq < maxSeq) {
                    cycles += 0x10000;
                }
                maxSeq = seq;
            }
        }
        long arrivalUnits = now / 1000 * clockRate / 1_000_000;
        long transit = arrivalUnits - RtpPackets.timestamp(b, off);
        if (lastTransit != Long.MIN_VALUE) {
            long d = Math.abs(transit - lastTransit);
            if (d < clockRate * 10L) {
                jitterUnits += (d - jitterUnits) / 16.0;
            }
        }
        lastTransit = transit;
    }

    /** Counts only (for directions where the relay does not look into the packets). */
    public void onPacket(int len) {
        onPacket(len, System.nanoTime());
    }

    /** Counts only, for a packet sent or received at {@code now} (a {@link System#nanoTime()} value). */
    public synchronized void onPacket(int len, long now) {
        packets++;
        bytes += len;
        lastPacketNanos = now;
    }

    public synchronized Snapshot snapshot(double rttMs) {
        long expected = baseSeq < 0 ? 0 : cycles + maxSeq - baseSeq + 1;
        long rtpPackets = packets;
        long lost = Math.max(0, expected - rtpPackets);
        double jitterMs = jitterUnits * 1000.0 / clockRate;
        double lossRatio = expected > 0 ? (double) lost / expected : 0;
        return new Snapshot(packets, bytes, lost, round(jitterMs), rttMs < 0 ? null : round(rttMs),
                Mos.estimate(lossRatio, jitterMs, Math.max(rttMs, 0)));
    }

    /**
     * Reception figures for a report block (RFC 3550 section 6.4.1 and appendix A.3): fraction lost since
     * the previous call, cumulative loss, extended highest sequence number, jitter in timestamp units;
     * null before the first RTP packet.
     */
    public synchronized Reception reception() {
        if (baseSeq < 0) {
            return null;
        }
        long extendedMax = cycles + maxSeq;
        long expected = extendedMax - baseSeq + 1;
        long expectedInterval = expected - expectedPrior;
        long receivedInterval = packets - receivedPrior;
        expectedPrior = expected;
        receivedPrior = packets;
        long lostInterval = expectedInterval - receivedInterval;
        int fraction = expectedInterval <= 0 || lostInterval <= 0 ? 0 : (int) ((lostInterval << 8) / expectedInterval);
        return new Reception(Math.min(fraction, 255), expected - packets, extendedMax, (long) jitterUnits);
    }

    /** What a report block says about a received stream. */
    public record Reception(int fractionLost, long cumulativeLost, long extendedHighestSequence, long jitter) {
    }

    public long lastPacketNanos() {
        return lastPacketNanos;
    }

    private static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }

    /** Figures of one direction at one moment. */
    public record Snapshot(long packets, long bytes, long lost, double jitterMs, Double rttMs, double mos) {
    }
}
