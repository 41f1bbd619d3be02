package io.webcall.relay.rtp;

/**
 * RTP/RTCP header access (RFC 3550 section 5.1, 6.4) and the first-byte demultiplexing of RFC 7983
 * section 7 / RFC 5761 section 4.
 */
public final class RtpPackets {

    private RtpPackets() {
    }

    /** Kinds of datagram on a shared port. */
    public enum Kind { STUN, DTLS, RTP, RTCP, UNKNOWN }

    public static Kind classify(byte[] b, int off, int len) {
        if (len < 1) {
            return Kind.UNKNOWN;
        }
        int first = b[off] & 0xff;
        if (first <= 3) {
            return Kind.STUN;
        }
        if (first >= 20 && first <= 63) {
            return Kind.DTLS;
        }
        if (first >= 128 && first <= 191) {
            if (len < 8) {
                return Kind.UNKNOWN;
            }
            int pt = b[off + 1] & 0xff;
            if (pt >= 192 && pt <= 223) {
                return Kind.RTCP;
            }
            return len >= 12 ? Kind.RTP : Kind.UNKNOWN;
        }
        return Kind.UNKNOWN;
    }

    public static int payloadType(byte[] b, int off) {
        return b[off + 1] & 0x7f;
    }

    public static void setPayloadType(byte[] b, int off, int pt) {
        b[off + 1] = (byte) ((b[off + 1] & 0x80) | (pt & 0x7f));
    }

    public static int sequence(byte[] b, int off) {
        return ((b[off + 2] & 0xff) << 8) | (b[off + 3] & 0xff);
    }

    public static long timestamp(byte[] b, int off) {
        return readUnsignedInt(b, off + 4);
    }

    public static int ssrc(byte[] b, int off) {
        return (int) readUnsignedInt(b, off + 8);
    }

    public static void setSsrc(byte[] b, int off, int ssrc) {
        b[off + 8] = (byte) (ssrc >>> 24);
        b[off + 9] = (byte) (ssrc >>> 16);
        b[off + 10] = (byte) (ssrc >>> 8);
        b[off + 11] = (byte) ssrc;
    }

    public static long readUnsignedInt(byte[] b, int at) {
        return ((long) (b[at] & 0xff) << 24) | ((b[at + 1] & 0xff) << 16) | ((b[at + 2] & 0xff) << 8)
                | (b[at + 3] & 0xff);
    }
}
