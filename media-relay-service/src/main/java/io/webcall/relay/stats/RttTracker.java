package io.webcall.relay.stats;

import io.webcall.relay.rtp.RtpPackets;

/**
 * Round-trip time between the relay and one endpoint from RTCP (RFC 3550 section 6.4.1): the relay
 * remembers when it sent (forwarded or wrote) each sender report to the endpoint; a report block from the
 * endpoint quoting it (LSR) with its delay (DLSR) gives RTT = now - sent - DLSR. It also remembers the
 * endpoint's own last sender report, which the relay's reports quote back (LSR/DLSR) so the endpoint can
 * measure the same round trip.
 */
public final class RttTracker {

    private static final int SLOTS = 16;
    private final long[] srKeys = new long[SLOTS];
    private final long[] srSentNanos = new long[SLOTS];
    private int next;
    private volatile double rttMs = -1;
    private long lastSrMiddle;
    private long lastSrArrivalNanos;

    /** An RTCP compound packet the relay sends toward the endpoint. */
    public synchronized void onSent(byte[] b, int off, int len) {
        int at = off;
        while (at + 4 <= off + len) {
            int pt = b[at + 1] & 0xff;
            int words = ((b[at + 2] & 0xff) << 8) | (b[at + 3] & 0xff);
            if (pt == 200 && at + 16 <= off + len) {
                long ntpMiddle = ((RtpPackets.readUnsignedInt(b, at + 8) & 0xffff) << 16)
                        | (RtpPackets.readUnsignedInt(b, at + 12) >>> 16);
                srKeys[next] = ntpMiddle;
                srSentNanos[next] = System.nanoTime();
                next = (next + 1) % SLOTS;
            }
            at += (words + 1) * 4;
        }
    }

    /** An RTCP compound packet received from the endpoint. */
    public synchronized void onReceived(byte[] b, int off, int len) {
        int at = off;
        while (at + 4 <= off + len) {
            int count = b[at] & 0x1f;
            int pt = b[at + 1] & 0xff;
            int words = ((b[at + 2] & 0xff) << 8) | (b[at + 3] & 0xff);
            if (pt == 200 && at + 16 <= off + len) {
                lastSrMiddle = ((RtpPackets.readUnsignedInt(b, at + 8) & 0xffff) << 16)
                        | (RtpPackets.readUnsignedInt(b, at + 12) >>> 16);
                lastSrArrivalNanos = System.nanoTime();
            }
            int blocks = pt == 200 ? at + 28 : pt == 201 ? at + 8 : -1;
            if (blocks > 0) {
                for (int i = 0; i < count && blocks + 24 <= off + len; i++, blocks += 24) {
                    long lsr = RtpPackets.readUnsignedInt(b, blocks + 16);
                    long dlsr = RtpPackets.readUnsignedInt(b, blocks + 20);
                    if (lsr != 0) {
                        match(lsr, dlsr);
                    }
                }
            }
            at += (words + 1) * 4;
        }
    }

    private void match(long lsr, long dlsr) {
        for (int i = 0; i < SLOTS; i++) {
            if (srKeys[i] == lsr && srSentNanos[i] != 0) {
                double ms = (System.nanoTime() - srSentNanos[i]) / 1e6 - dlsr * 1000.0 / 65536.0;
                if (ms >= 0) {
                    rttMs = ms;
                }
                return;
            }
        }
    }

    /** LSR for a report block about the endpoint's stream: 0 when it has sent no sender report. */
    public synchronized long lastSr() {
        return lastSrMiddle;
    }

    /** DLSR: time since the endpoint's last sender report arrived, in units of 1/65536 s (0 without one). */
    public synchronized long delaySinceLastSr(long nowNanos) {
        return lastSrArrivalNanos == 0 ? 0 : (nowNanos - lastSrArrivalNanos) * 65536 / 1_000_000_000L;
    }

    public double rttMs() {
        return rttMs;
    }
}
