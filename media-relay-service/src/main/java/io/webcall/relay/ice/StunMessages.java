package io.webcall.relay.ice;

import java.nio.charset.StandardCharsets;

/** Reads the few fields of a STUN message (RFC 8489 section 5) the shared port dispatches on. */
final class StunMessages {

    private static final int HEADER = 20;
    private static final int MAGIC_COOKIE = 0x2112A442;
    private static final int BINDING_REQUEST = 0x0001;
    private static final int USERNAME = 0x0006;
    /** The class bits of the message type (RFC 8489 section 5): 0b10 success response, 0b11 error response. */
    private static final int CLASS_MASK = 0x0110;
    private static final int CLASS_SUCCESS = 0x0100;
    private static final int CLASS_ERROR = 0x0110;

    private StunMessages() {
    }

    /** Whether the datagram has a STUN header: first two bits zero and the magic cookie. */
    static boolean isStun(byte[] b, int off, int len) {
        return len >= HEADER && (b[off] & 0xc0) == 0 && readInt(b, off + 4) == MAGIC_COOKIE;
    }

    /** Whether the datagram is a STUN success or error response. */
    static boolean isResponse(byte[] b, int off, int len) {
        if (!isStun(b, off, len)) {
            return false;
        }
        int cls = readShort(b, off) & CLASS_MASK;
        return cls == CLASS_SUCCESS || cls == CLASS_ERROR;
    }

    /**
     * The local ufrag a Binding request is for: the part of its USERNAME before the colon ({@code
     * recipientUfrag:senderUfrag}, RFC 8445 section 7.2.2), or null when the datagram is no Binding request with
     * a USERNAME.
     */
    static String bindingRequestUfrag(byte[] b, int off, int len) {
        if (!isStun(b, off, len) || readShort(b, off) != BINDING_REQUEST) {
            return null;
        }
        int end = off + HEADER + readShort(b, off + 2);
        if (end > off + len) {
            return null;
        }
        for (int at = off + HEADER; at + 4 <= end; ) {
            int type = readShort(b, at);
            int length = readShort(b, at + 2);
            if (at + 4 + length > end) {
                return null;
            }
            if (type == USERNAME) {
                int colon = at + 4;
                while (colon < at + 4 + length && b[colon] != ':') {
                    colon++;
                }
                return new String(b, at + 4, colon - at - 4, StandardCharsets.UTF_8);
            }
            at += 4 + ((length + 3) & ~3);
        }
        return null;
    }

    private static int readShort(byte[] b, int at) {
        return ((b[at] & 0xff) << 8) | (b[at + 1] & 0xff);
    }

    private static int readInt(byte[] b, int at) {
        return ((b[at] & 0xff) << 24) | ((b[at + 1] & 0xff) << 16) | ((b[at + 2] & 0xff) << 8) | (b[at + 3] & 0xff);
    }
}
