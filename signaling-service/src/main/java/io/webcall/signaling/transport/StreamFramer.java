package io.webcall.signaling.transport;

import io.vertx.core.buffer.Buffer;

import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * Splits a TCP byte stream into SIP messages using the Content-Length header (RFC 3261 section 18.3),
 * and recognises the CRLF keep-alive ping of RFC 5626 section 4.4.1 between messages.
 */
final class StreamFramer {

    /** What the framer found in the stream. */
    interface Sink {
        void message(byte[] message);

        void ping();

        /** The stream cannot be framed (too large or broken Content-Length); the connection must close. */
        void broken(byte[] head, String reason);
    }

    private final int maxBytes;
    private final Sink sink;
    private Buffer pending = Buffer.buffer();

    StreamFramer(int maxBytes, Sink sink) {
        this.maxBytes = maxBytes;
        this.sink = sink;
    }

    void feed(Buffer data) {
        pending.appendBuffer(data);
        while (true) {
            while (pending.length() > 0 && isCrOrLf(pending.getByte(0))) {
                if (pending.length() >= 4 && pending.getByte(0) == '\r' && pending.getByte(1) == '\n'
                        && pending.getByte(2) == '\r' && pending.getByte(3) == '\n') {
                    sink.ping();
                    pending = pending.getBuffer(4, pending.length());
                    continue;
                }
                if (pending.length() < 4 && allCrLf(pending)) {
                    return;
                }
                // stray line break between messages (RFC 3261 section 7.5): ignored
                pending = pending.getBuffer(1, pending.length());
            }
            if (pending.length() == 0) {
                return;
            }
            int headEnd = find(pending);
            if (headEnd < 0) {
                if (pending.length() > maxBytes) {
                    sink.broken(pending.getBytes(0, Math.min(pending.length(), maxBytes)), "Header section too large");
                    pending = Buffer.buffer();
                }
                return;
            }
            String head = pending.getString(0, headEnd, StandardCharsets.UTF_8.name());
            int contentLength = contentLength(head);
            if (contentLength < 0) {
                sink.broken(pending.getBytes(0, headEnd + 4), "Missing or malformed Content-Length on a stream transport");
                pending = Buffer.buffer();
                return;
            }
            int total = headEnd + 4 + contentLength;
            if (total > maxBytes) {
                sink.broken(pending.getBytes(0, headEnd + 4), "Message Too Large");
                pending = Buffer.buffer();
                return;
            }
            if (pending.length() < total) {
                return;
            }
            byte[] msg = pending.getBytes(0, total);
            pending = pending.getBuffer(total, pending.length());
            sink.message(msg);
        }
    }

    private static boolean isCrOrLf(byte b) {
        return b == '\r' || b == '\n';
    }

    private static boolean allCrLf(Buffer b) {
        for (int i = 0; i < b.length(); i++) {
            if (!isCrOrLf(b.getByte(i))) {
                return false;
            }
        }
        return true;
    }

    private static int find(Buffer b) {
        for (int i = 0; i + 3 < b.length(); i++) {
            if (b.getByte(i) == '\r' && b.getByte(i + 1) == '\n' && b.getByte(i + 2) == '\r' && b.getByte(i + 3) == '\n') {
                return i;
            }
        }
        return -1;
    }

    private static int contentLength(String head) {
        for (String line : head.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon <= 0) {
                continue;
            }
            String name = line.substring(0, colon).trim();
            if (name.equalsIgnoreCase("Content-Length") || name.equalsIgnoreCase("l")) {
                try {
                    int v = Integer.parseInt(line.substring(colon + 1).trim());
                    return v < 0 ? -1 : v;
                } catch (NumberFormatException e) {
                    return -1;
                }
            }
        }
        return -1;
    }
}
