package io.webcall.relay.stats;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** RTT from a forwarded sender report and the receiver report that quotes it (RFC 3550 section 6.4.1). */
class RttTrackerTest {

    private static byte[] senderReport(long ntpSeconds, long ntpFraction) {
        ByteBuffer b = ByteBuffer.allocate(28);
        b.put((byte) 0x80).put((byte) 200).putShort((short) 6);
        b.putInt(0x11111111);
        b.putInt((int) ntpSeconds).putInt((int) ntpFraction);
        b.putInt(0).putInt(0).putInt(0);
        return b.array();
    }

    private static byte[] receiverReport(long lsr, long dlsr) {
        ByteBuffer b = ByteBuffer.allocate(32);
        b.put((byte) 0x81).put((byte) 201).putShort((short) 7);
        b.putInt(0x22222222);
        b.putInt(0x11111111).putInt(0).putInt(0).putInt(0);
        b.putInt((int) lsr).putInt((int) dlsr);
        return b.array();
    }

    @Test
    void rttIsTheTimeSinceTheForwardedSenderReportMinusTheReportersDelay() throws Exception {
        RttTracker tracker = new RttTracker();
        assertEquals(-1, tracker.rttMs(), "unknown before any report");
        byte[] sr = senderReport(0x0000ABCDL, 0x12340000L);
        tracker.onSent(sr, 0, sr.length);
        Thread.sleep(60);
        long lsr = (0xABCDL << 16) | 0x1234L;
        long dlsr = 65536 / 50; // the endpoint held the report 20 ms
        byte[] rr = receiverReport(lsr, dlsr);
        tracker.onReceived(rr, 0, rr.length);
        double rtt = tracker.rttMs();
        assertTrue(rtt >= 35 && rtt < 1000, "about 60 ms minus 20 ms of delay, was " + rtt);
    }

    @Test
    void receiverReportsQuotingUnknownSenderReportsAreIgnored() {
        RttTracker tracker = new RttTracker();
        byte[] rr = receiverReport(0x12345678L, 10);
        tracker.onReceived(rr, 0, rr.length);
        assertEquals(-1, tracker.rttMs());
    }
}
