package io.webcall.signaling.sip;

import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads the header section into a {@link SipMessage} (RFC 3261 section 7.3): {@code name: value} lines, folded
 * continuation lines and comma-separated values of the multi-value headers (section 7.3.1), compact and
 * case-insensitive names brought to their long form (section 7.3.3, {@link SipHeaderNames#canonicalName}), and the linear
 * white space inside a Via removed (section 25.1).
 */
final class SipHeaderParser {

    private static final Set<String> MULTI_VALUE = Set.of("Via", "Route", "Record-Route", "Contact");
    private static final Pattern VIA_PROTOCOL = Pattern.compile("(?i)^SIP\\s*/\\s*2\\.0\\s*/\\s*([A-Za-z]+)\\s+");
    private static final Pattern SPACED_SEMICOLON = Pattern.compile("\\s*;\\s*");
    private static final Pattern SPACED_EQUALS = Pattern.compile("\\s*=\\s*");
    private static final Pattern TRAILING_SEMICOLON = Pattern.compile(";$");

    private SipHeaderParser() {
    }

    /** Adds the header lines after the start line ({@code lines[0]}) up to the first empty line to {@code msg}. */
    static void readHeaders(String[] lines, SipMessage msg) throws SipParseException {
        String name = null;
        String value = null;
        // only for a header folded over continuation lines (RFC 3261 section 7.3.1)
        StringBuilder folded = null;
        for (int i = 1; i < lines.length; i++) {
            String line = lines[i];
            if (line.isEmpty()) {
                break;
            }
            if ((line.charAt(0) == ' ' || line.charAt(0) == '\t')) {
                if (value == null) {
                    throw SipParseException.answering(400, "Continuation line without header", msg);
                }
                if (folded == null) {
                    folded = new StringBuilder(value);
                }
                folded.append(' ').append(line.trim());
                continue;
            }
            if (name != null) {
                addHeader(msg, name, folded != null ? folded.toString() : value);
                folded = null;
            }
            int colon = line.indexOf(':');
            if (colon <= 0) {
                throw SipParseException.answering(400, "Malformed header line", msg);
            }
            name = SipHeaderNames.canonicalName(line.substring(0, colon).trim());
            if (name.isEmpty() || name.contains(" ")) {
                throw SipParseException.answering(400, "Malformed header name", msg);
            }
            value = trimmedFrom(line, colon + 1);
        }
        if (name != null) {
            addHeader(msg, name, folded != null ? folded.toString() : value);
        }
    }

    /** {@code line.substring(from).trim()} with one copy instead of two. */
    static String trimmedFrom(String line, int from) {
        int start = from;
        int end = line.length();
        while (start < end && line.charAt(start) <= ' ') {
            start++;
        }
        while (end > start && line.charAt(end - 1) <= ' ') {
            end--;
        }
        return line.substring(start, end);
    }

    private static void addHeader(SipMessage msg, String name, String value) {
        if (MULTI_VALUE.contains(name) && value.indexOf(',') >= 0) {
            for (String v : SipHeaders.splitComma(value)) {
                msg.add(name, name.equals("Via") ? normaliseVia(v) : v);
            }
        } else if (name.equals("Via")) {
            msg.add(name, normaliseVia(value));
        } else {
            msg.add(name, value);
        }
    }

    /** Removes the linear white space RFC 3261 allows inside a Via (section 25.1, RFC 4475 section 3.1.1.1). */
    static String normaliseVia(String via) {
        String t = via.trim();
        if (isCompactVia(t)) {
            return t;
        }
        String v = VIA_PROTOCOL.matcher(t).replaceFirst("SIP/2.0/$1 ");
        v = SPACED_SEMICOLON.matcher(v).replaceAll(";");
        v = SPACED_EQUALS.matcher(v).replaceAll("=");
        return TRAILING_SEMICOLON.matcher(v).replaceAll("");
    }

    /** {@code SIP/2.0/TRANSPORT sent-by;params} with one space and no other white space: nothing to normalise. */
    private static boolean isCompactVia(String v) {
        if (!v.startsWith("SIP/2.0/")) {
            return false;
        }
        int sp = v.indexOf(' ', 8);
        if (sp <= 8 || sp == v.length() - 1 || v.charAt(v.length() - 1) == ';') {
            return false;
        }
        for (int i = 8; i < sp; i++) {
            char c = v.charAt(i);
            if (!(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z')) {
                return false;
            }
        }
        for (int i = sp + 1; i < v.length(); i++) {
            if (Character.isWhitespace(v.charAt(i))) {
                return false;
            }
        }
        return true;
    }
}
