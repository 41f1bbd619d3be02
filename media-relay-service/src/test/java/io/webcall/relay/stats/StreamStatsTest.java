package io.webcall.relay.stats;

import io.webcall.relay.rtp.RtpPackets;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StreamStatsTest {

    private static byte[] rtp(int seq, long ts) {
        byte[] p = new byte[172];
        p[0] = (byte) 0x80;
        p[2] = (byte) (seq >> 8);
        p[3] = (byte) seq;
        p[4] = (byte) (ts >> 24);
        p[5] = (byte) (ts >> 16);
        p[6] = (byte) (ts >> 8);
        p[7] = (byte) ts;
        return p;
    }

    @Test
    void countsLossAcrossSequenceWrapAround() {
        StreamStats stats = new StreamStats();
        int seq = 65530;
        for (int i = 0; i < 20; i++) {
            if (i == 5 || i == 12) {
                seq = (seq + 1) & 0xffff;
                continue;
            }
            byte[] p = rtp(seq, i * 160L);
            assertEquals(seq, RtpPackets.sequence(p, 0));
            stats.onPacket(p, 0, p.length, 8000, true);
            seq = (seq + 1) & 0xffff;
        }
        StreamStats.Snapshot s = stats.snapshot(-1);
        assertEquals(18, s.packets());
        assertEquals(2, s.lost());
        assertEquals(18 * 172, s.bytes());
    }

    @Test
    void jitterFollowsTheArrivalTimesTheCallerGives() {
        StreamStats steady = new StreamStats();
        StreamStats uneven = new StreamStats();
        long start = 1_000_000_000L;
        for (int i = 0; i < 50; i++) {
            byte[] p = rtp(i, i * 160L);
            // 20 ms of audio per packet at 8 kHz: steady arrives every 20 ms, uneven alternates 10 and 30 ms
            steady.onPacket(p, 0, p.length, 8000, true, start + i * 20_000_000L);
            uneven.onPacket(p, 0, p.length, 8000, true, start + i * 20_000_000L + (i % 2) * 10_000_000L);
        }
        assertEquals(0.0, steady.snapshot(-1).jitterMs(), 0.01);
        // RFC 3550 section 6.4.1: |D| is 10 ms for every pair, so J converges to 10 ms
        assertEquals(10.0, uneven.snapshot(-1).jitterMs(), 0.5);
        assertEquals(start + 49 * 20_000_000L + 10_000_000L, uneven.lastPacketNanos());
    }

    @Test
    void mosFallsWithLossAndDelay() {
        double clean = Mos.estimate(0, 2, 20);
        double lossy = Mos.estimate(0.05, 2, 20);
        double slow = Mos.estimate(0, 30, 400);
        assertTrue(clean > 4.0, "clean call: " + clean);
        assertTrue(lossy < clean && slow < clean);
        assertTrue(Mos.estimate(1.0, 0, 0) >= 1.0);
    }
}
