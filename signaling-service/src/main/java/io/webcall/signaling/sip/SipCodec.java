package io.webcall.signaling.sip;

import java.nio.charset.StandardCharsets;

/**
 * Turns bytes into {@link SipMessage}s (RFC 3261 section 7): frames the start line, header section and body, reads
 * the body as long as Content-Length says (section 20.14), and hands the start line to {@link SipStartLineParser},
 * the header lines to {@link SipHeaderParser} and the message to {@link SipMessageValidator}.
 */
public final class SipCodec {

    private static final byte[] CRLF_CRLF = {'\r', '\n', '\r', '\n'};
    private static final byte[] LF_LF = {'\n', '\n'};

    private SipCodec() {
    }

    /** Parses one complete message (a UDP datagram, a WebSocket frame, or a framed TCP message). */
    public static SipMessage parse(byte[] data) throws SipParseException {
        int headEnd = indexOf(data, CRLF_CRLF);
        int sepLen = 4;
        if (headEnd < 0) {
            headEnd = indexOf(data, LF_LF);
            sepLen = 2;
        }
        if (headEnd < 0) {
            // a message without body must still end its header section with an empty line
            headEnd = data.length;
            sepLen = 0;
        }
        String head = new String(data, 0, headEnd, StandardCharsets.UTF_8);
        String[] lines = splitLines(head);
        SipMessage msg;
        SipParseException startError = null;
        try {
            msg = SipStartLineParser.parse(lines[0]);
        } catch (SipParseException e) {
            if (e.partialRequest() == null) {
                throw e;
            }
            // keep reading so the 400/505 can carry Via, From, To, Call-ID and CSeq
            msg = e.partialRequest();
            startError = e;
        }
        SipHeaderParser.readHeaders(lines, msg);
        if (startError != null) {
            throw new SipParseException(startError.status(), startError.getMessage(), msg);
        }
        int bodyStart = Math.min(data.length, headEnd + sepLen);
        int available = data.length - bodyStart;
        String cl = msg.header("Content-Length");
        int bodyLen = available;
        if (cl != null) {
            try {
                bodyLen = Integer.parseInt(cl.trim());
            } catch (NumberFormatException e) {
                throw SipParseException.answering(400, "Bad Content-Length", msg);
            }
            if (bodyLen < 0 || bodyLen > available) {
                throw SipParseException.answering(400, "Content-Length larger than the body", msg);
            }
        }
        byte[] body = new byte[bodyLen];
        System.arraycopy(data, bodyStart, body, 0, bodyLen);
        msg.setBody(body);
        if (sepLen == 0) {
            throw SipParseException.answering(400, "Header section not terminated by an empty line", msg);
        }
        SipMessageValidator.validate(msg);
        return msg;
    }

    /** The lines of a header section, split at LF or CRLF (the regular expression {@code \r?\n} without one). */
    static String[] splitLines(String head) {
        int count = 1;
        for (int i = head.indexOf('\n'); i >= 0; i = head.indexOf('\n', i + 1)) {
            count++;
        }
        String[] lines = new String[count];
        int start = 0;
        for (int n = 0; n < count - 1; n++) {
            int lf = head.indexOf('\n', start);
            int end = lf > start && head.charAt(lf - 1) == '\r' ? lf - 1 : lf;
            lines[n] = head.substring(start, end);
            start = lf + 1;
        }
        lines[count - 1] = head.substring(start);
        return lines;
    }

    /** The first index of {@code pattern} in {@code data}, or -1 (finds the empty line that ends the header section). */
    static int indexOf(byte[] data, byte[] pattern) {
        // the first byte by itself, then the rest of the pattern only where it matched
        byte head = pattern[0];
        outer:
        for (int i = 0; i <= data.length - pattern.length; i++) {
            if (data[i] != head) {
                continue;
            }
            for (int j = 1; j < pattern.length; j++) {
                if (data[i + j] != pattern[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
