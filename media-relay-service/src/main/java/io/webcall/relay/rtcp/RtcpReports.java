package io.webcall.relay.rtcp;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * Writes the relay's own RTCP compound packets (RFC 3550 section 6.1): a sender report (section 6.4.1)
 * when the relay sends media toward the endpoint, else a receiver report (section 6.4.2), with at most one
 * report block about the endpoint's stream, followed by an SDES CNAME (section 6.5.1).
 */
public final class RtcpReports {

    private static final long NTP_EPOCH_OFFSET = 2_208_988_800L;

    private RtcpReports() {
    }

    /** Sender information of an SR: the stream the relay sends toward the endpoint. */
    public record SenderInfo(Instant wallclock, long rtpTimestamp, long packets, long octets) {
    }

    /**
     * One report block (RFC 3550 section 6.4.1) about the stream received from {@code ssrc}: loss, highest
     * sequence number, jitter in timestamp units, and LSR/DLSR of the endpoint's last sender report.
     */
    public record ReportBlock(int ssrc, int fractionLost, long cumulativeLost, long extendedHighestSequence,
                              long jitter, long lastSr, long delaySinceLastSr) {
    }

    /** SR (with {@code sender}) or RR, then SDES CNAME; {@code block} may be null. */
    public static byte[] compound(int ssrc, SenderInfo sender, ReportBlock block, String cname) {
        byte[] name = cname.getBytes(StandardCharsets.US_ASCII);
        int blocks = block == null ? 0 : 1;
        int reportLength = (sender != null ? 28 : 8) + 24 * blocks;
        int chunk = 4 + 2 + name.length + 1;
        int sdesLength = 4 + ((chunk + 3) & ~3);
        ByteBuffer out = ByteBuffer.allocate(reportLength + sdesLength);
        out.put((byte) (0x80 | blocks));
        out.put((byte) (sender != null ? 200 : 201));
        out.putShort((short) (reportLength / 4 - 1));
        out.putInt(ssrc);
        if (sender != null) {
            long seconds = sender.wallclock().getEpochSecond() + NTP_EPOCH_OFFSET;
            long fraction = ((long) sender.wallclock().getNano() << 32) / 1_000_000_000L;
            out.putInt((int) seconds);
            out.putInt((int) fraction);
            out.putInt((int) sender.rtpTimestamp());
            out.putInt((int) sender.packets());
            out.putInt((int) sender.octets());
        }
        if (block != null) {
            long lost = Math.max(-0x800000L, Math.min(0x7fffffL, block.cumulativeLost()));
            out.putInt(block.ssrc());
            out.putInt((block.fractionLost() & 0xff) << 24 | (int) (lost & 0xffffff));
            out.putInt((int) block.extendedHighestSequence());
            out.putInt((int) block.jitter());
            out.putInt((int) block.lastSr());
            out.putInt((int) block.delaySinceLastSr());
        }
        out.put((byte) 0x81);
        out.put((byte) 202);
        out.putShort((short) (sdesLength / 4 - 1));
        out.putInt(ssrc);
        out.put((byte) 1);
        out.put((byte) name.length);
        out.put(name);
        // the chunk ends with at least one null octet, padded to a 32-bit boundary (ByteBuffer starts zeroed)
        return out.array();
    }

    /** The middle 32 bits of an NTP timestamp, as LSR quotes it (RFC 3550 section 6.4.1). */
    public static long ntpMiddle(Instant wallclock) {
        long seconds = wallclock.getEpochSecond() + NTP_EPOCH_OFFSET;
        long fraction = ((long) wallclock.getNano() << 32) / 1_000_000_000L;
        return ((seconds & 0xffff) << 16) | (fraction >>> 16);
    }
}
