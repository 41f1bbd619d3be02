package io.webcall.signaling.media;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.vertx.core.buffer.Buffer;

import java.io.IOException;

/**
 * JSON bodies of the relay control API (RFC 8259), written and read without a tree model: a request body is at most
 * six members whose values are strings or a boolean, a response body one {@code sdp} string. The SDP dominates both
 * (1-3 KB); it is escaped in one pass into a buffer sized for it, and the response is read with a streaming parser
 * that stops at the {@code sdp} member.
 */
final class RelayJson {

    private static final JsonFactory FACTORY = new JsonFactory();
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private RelayJson() {
    }

    /** A JSON object body being built: {@link #str} and {@link #bool} add members, {@link #end} closes it. */
    static final class Body {
        private final StringBuilder sb;
        private boolean first = true;

        Body(int expectedChars) {
            sb = new StringBuilder(expectedChars + 128).append('{');
        }

        /** Adds {@code "name": "value"} ({@code null} when value is null). */
        Body str(String name, String value) {
            member(name);
            if (value == null) {
                sb.append("null");
            } else {
                quote(sb, value);
            }
            return this;
        }

        /** Adds {@code "name": true|false}. */
        Body bool(String name, boolean value) {
            member(name);
            sb.append(value);
            return this;
        }

        private void member(String name) {
            if (!first) {
                sb.append(',');
            }
            first = false;
            quote(sb, name);
            sb.append(':');
        }

        /** The finished object as UTF-8. */
        Buffer end() {
            sb.append('}');
            return Buffer.buffer(sb.toString());
        }

        @Override
        public String toString() {
            return sb + "}";
        }
    }

    /**
     * Appends {@code s} as a JSON string (RFC 8259 section 7): quotation mark, reverse solidus and the control
     * characters U+0000-U+001F escaped, everything else (including non-ASCII) as is.
     */
    static void quote(StringBuilder sb, String s) {
        sb.append('"');
        int start = 0;
        int n = s.length();
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c >= 0x20 && c != '"' && c != '\\') {
                continue;
            }
            sb.append(s, start, i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                case '\b' -> sb.append("\\b");
                case '\f' -> sb.append("\\f");
                default -> sb.append("\\u00").append(HEX[c >> 4]).append(HEX[c & 0xF]);
            }
            start = i + 1;
        }
        sb.append(s, start, n).append('"');
    }

    /**
     * The string value of the top-level {@code field} member of a JSON object, or null when the body has no such
     * string member.
     *
     * @throws IllegalArgumentException when the body is not a JSON object
     */
    static String stringField(Buffer body, String field) {
        try (JsonParser p = FACTORY.createParser(body.getBytes())) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IllegalArgumentException("not a JSON object");
            }
            JsonToken t;
            while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken v = p.nextToken();
                if (name.equals(field)) {
                    return v == JsonToken.VALUE_STRING ? p.getText() : null;
                }
                p.skipChildren();
            }
            if (t != JsonToken.END_OBJECT) {
                throw new IllegalArgumentException("not a JSON object");
            }
            return null;
        } catch (IOException e) {
            throw new IllegalArgumentException("malformed JSON: " + e.getMessage(), e);
        }
    }
}
