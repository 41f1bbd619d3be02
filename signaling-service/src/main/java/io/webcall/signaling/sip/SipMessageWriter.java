package io.webcall.signaling.sip;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Writes a {@link SipMessage} in the wire format of RFC 3261 section 7: start line, one {@code Name: value} line per
 * header, an empty line, the body; Content-Length is always written from the body length (section 20.14), which
 * stream transports need to frame the message (section 18.3).
 */
final class SipMessageWriter {

    private SipMessageWriter() {
    }

    /** Start line and headers with the closing empty line; Content-Length is written from the body length. */
    private static String head(SipMessage msg) {
        List<SipMessage.Header> headers = msg.headers();
        byte[] body = msg.body();
        StringBuilder sb = new StringBuilder(512 + headers.size() * 40);
        if (msg.isRequest()) {
            sb.append(msg.method()).append(' ').append(msg.requestUri()).append(" SIP/2.0\r\n");
        } else {
            sb.append("SIP/2.0 ").append(msg.status()).append(' ').append(msg.reason()).append("\r\n");
        }
        for (SipMessage.Header h : headers) {
            if (!h.name.equalsIgnoreCase("Content-Length")) {
                sb.append(h.name).append(": ").append(h.value).append("\r\n");
            }
        }
        sb.append("Content-Length: ").append(body.length).append("\r\n\r\n");
        return sb.toString();
    }

    /** The serialised message as text (SIP over WebSocket text frames, RFC 7118 section 5.2). */
    static String toText(SipMessage msg) {
        byte[] body = msg.body();
        String head = head(msg);
        return body.length == 0 ? head : head + new String(body, StandardCharsets.UTF_8);
    }

    /** Serialises the message; Content-Length is always written from the body length. */
    static byte[] toBytes(SipMessage msg) {
        byte[] body = msg.body();
        byte[] head = head(msg).getBytes(StandardCharsets.UTF_8);
        if (body.length == 0) {
            return head;
        }
        byte[] out = new byte[head.length + body.length];
        System.arraycopy(head, 0, out, 0, head.length);
        System.arraycopy(body, 0, out, head.length, body.length);
        return out;
    }
}
