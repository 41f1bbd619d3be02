package io.webcall.signaling.sip;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Turns bytes into {@link SipMessage}s (RFC 3261 section 7): frames the start line, header section and body, then
 * checks the mandatory headers of section 8.1.1, the CSeq method against the request method, numeric Max-Forwards,
 * Content-Length against the body, the SIP version, and with {@link SipSyntax} the grammar of section 25.1 for the
 * Request-URI, From, To, Contact, Route, Record-Route, Via and Call-ID.
 */
public final class SipCodec {

    private static final Set<String> MULTI_VALUE = Set.of("Via", "Route", "Record-Route", "Contact");
    private static final String[] ADDRESS_HEADERS = {"From", "To", "Contact", "Route", "Record-Route"};
    private static final Pattern VIA_PROTOCOL = Pattern.compile("(?i)^SIP\\s*/\\s*2\\.0\\s*/\\s*([A-Za-z]+)\\s+");
    private static final Pattern SPACED_SEMICOLON = Pattern.compile("\\s*;\\s*");
    private static final Pattern SPACED_EQUALS = Pattern.compile("\\s*=\\s*");
    private static final Pattern TRAILING_SEMICOLON = Pattern.compile(";$");

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
            msg = startLine(lines[0]);
        } catch (SipParseException e) {
            if (e.partialRequest() == null) {
                throw e;
            }
            // keep reading so the 400/505 can carry Via, From, To, Call-ID and CSeq
            msg = e.partialRequest();
            startError = e;
        }
        readHeaders(lines, msg);
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
                throw fail(400, "Bad Content-Length", msg);
            }
            if (bodyLen < 0 || bodyLen > available) {
                throw fail(400, "Content-Length larger than the body", msg);
            }
        }
        byte[] body = new byte[bodyLen];
        System.arraycopy(data, bodyStart, body, 0, bodyLen);
        msg.setBody(body);
        if (sepLen == 0) {
            throw fail(400, "Header section not terminated by an empty line", msg);
        }
        validate(msg);
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

    /** {@code line.split(" ", 3)} without the list and array growth: up to two single spaces split, the rest stays whole. */
    static String[] splitStartLine(String line) {
        int first = line.indexOf(' ');
        if (first < 0) {
            return new String[] {line};
        }
        int second = line.indexOf(' ', first + 1);
        if (second < 0) {
            return new String[] {line.substring(0, first), line.substring(first + 1)};
        }
        return new String[] {line.substring(0, first), line.substring(first + 1, second), line.substring(second + 1)};
    }

    /** Splits a trimmed value at runs of white space (the regular expression {@code \s+} without one). */
    static String[] splitWhiteSpace(String value) {
        java.util.ArrayList<String> parts = new java.util.ArrayList<>(2);
        int i = 0;
        int n = value.length();
        while (i < n) {
            while (i < n && isRegexSpace(value.charAt(i))) {
                i++;
            }
            int start = i;
            while (i < n && !isRegexSpace(value.charAt(i))) {
                i++;
            }
            if (i > start) {
                parts.add(value.substring(start, i));
            }
        }
        if (parts.isEmpty()) {
            return new String[] {""};
        }
        return parts.toArray(new String[0]);
    }

    private static boolean isRegexSpace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == 0x0B || c == '\f' || c == '\r';
    }

    private static SipMessage startLine(String line) throws SipParseException {
        String[] parts = splitStartLine(line);
        if (parts.length < 3) {
            throw new SipParseException(400, "Malformed start line", null);
        }
        if (parts[0].startsWith("SIP/")) {
            if (!parts[0].equals("SIP/2.0")) {
                throw new SipParseException(400, "Unsupported SIP version in response", null);
            }
            int status;
            try {
                status = Integer.parseInt(parts[1]);
            } catch (NumberFormatException e) {
                throw new SipParseException(400, "Malformed status code", null);
            }
            if (status < 100 || status > 699 || parts[1].length() != 3) {
                throw new SipParseException(400, "Status code out of range", null);
            }
            return SipMessage.response(status, parts[2]);
        }
        String method = parts[0];
        for (int i = 0; i < method.length(); i++) {
            char c = method.charAt(i);
            if (!Character.isLetterOrDigit(c) && "-.!%*_+`'~".indexOf(c) < 0) {
                throw new SipParseException(400, "Malformed method", null);
            }
        }
        SipMessage req = SipMessage.request(method, parts[1]);
        if (parts[1].contains(" ") || parts[2].contains(" ") || parts[1].isEmpty() || parts[1].startsWith("<")) {
            throw new SipParseException(400, "Malformed Request-Line", req);
        }
        if (!parts[2].equalsIgnoreCase("SIP/2.0")) {
            throw new SipParseException(505, "Version Not Supported", req);
        }
        return req;
    }

    private static void readHeaders(String[] lines, SipMessage msg) throws SipParseException {
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
                    throw fail(400, "Continuation line without header", msg);
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
                throw fail(400, "Malformed header line", msg);
            }
            name = SipMessage.canonicalName(line.substring(0, colon).trim());
            if (name.isEmpty() || name.contains(" ")) {
                throw fail(400, "Malformed header name", msg);
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

    /**
     * The headers {@link #validate} checks, gathered in one pass over the message (names are canonical after
     * {@link #readHeaders}): first value and count of the single-valued ones, every value of the others in message order.
     */
    private static final class Checked {
        final java.util.ArrayList<String> vias = new java.util.ArrayList<>(2);
        final java.util.ArrayList<String> from = new java.util.ArrayList<>(1);
        final java.util.ArrayList<String> to = new java.util.ArrayList<>(1);
        final java.util.ArrayList<String> contacts = new java.util.ArrayList<>(1);
        final java.util.ArrayList<String> routes = new java.util.ArrayList<>(2);
        final java.util.ArrayList<String> recordRoutes = new java.util.ArrayList<>(2);
        String callId;
        String cseq;
        String maxForwards;
        int callIds;
        int cseqs;
        int maxForwardsCount;
        int contentLengths;

        Checked(SipMessage msg) {
            for (SipMessage.Header h : msg.headers()) {
                String v = h.value;
                switch (h.name) {
                    case "Via" -> vias.add(v);
                    case "From" -> from.add(v);
                    case "To" -> to.add(v);
                    case "Contact" -> contacts.add(v);
                    case "Route" -> routes.add(v);
                    case "Record-Route" -> recordRoutes.add(v);
                    case "Call-ID" -> {
                        if (callIds++ == 0) {
                            callId = v;
                        }
                    }
                    case "CSeq" -> {
                        if (cseqs++ == 0) {
                            cseq = v;
                        }
                    }
                    case "Max-Forwards" -> {
                        if (maxForwardsCount++ == 0) {
                            maxForwards = v;
                        }
                    }
                    case "Content-Length" -> contentLengths++;
                    default -> {
                    }
                }
            }
        }

        /** First value of a header among those checked for presence. */
        String first(String name) {
            return switch (name) {
                case "Via" -> vias.isEmpty() ? null : vias.get(0);
                case "From" -> from.isEmpty() ? null : from.get(0);
                case "To" -> to.isEmpty() ? null : to.get(0);
                case "Call-ID" -> callId;
                default -> cseq;
            };
        }

        /** Number of values of a header among those that must not repeat. */
        int count(String name) {
            return switch (name) {
                case "From" -> from.size();
                case "To" -> to.size();
                case "Call-ID" -> callIds;
                case "CSeq" -> cseqs;
                case "Max-Forwards" -> maxForwardsCount;
                default -> contentLengths;
            };
        }

        /** Every value of an address header, in message order. */
        java.util.List<String> values(String name) {
            return switch (name) {
                case "From" -> from;
                case "To" -> to;
                case "Contact" -> contacts;
                case "Route" -> routes;
                default -> recordRoutes;
            };
        }
    }

    private static final String[] REQUIRED = {"Via", "From", "To", "Call-ID", "CSeq"};
    private static final String[] SINGLE = {"From", "To", "Call-ID", "CSeq", "Max-Forwards", "Content-Length"};

    private static void validate(SipMessage msg) throws SipParseException {
        Checked c = new Checked(msg);
        for (String h : REQUIRED) {
            String v = c.first(h);
            if (v == null || v.isBlank()) {
                throw fail(400, "Missing " + h + " header", msg);
            }
        }
        for (String h : SINGLE) {
            if (c.count(h) > 1) {
                throw fail(400, "Duplicate " + h + " header", msg);
            }
        }
        String[] cseq = splitWhiteSpace(c.cseq.trim());
        if (cseq.length != 2) {
            throw fail(400, "Malformed CSeq", msg);
        }
        try {
            long n = Long.parseLong(cseq[0]);
            if (n < 0 || n > 0xFFFFFFFFL) {
                throw fail(400, "CSeq number out of range", msg);
            }
        } catch (NumberFormatException e) {
            throw fail(400, "Malformed CSeq number", msg);
        }
        for (int k = 0; k < cseq[1].length(); k++) {
            if (!SipSyntax.isToken(cseq[1].charAt(k))) {
                throw fail(400, "Malformed CSeq method", msg);
            }
        }
        if (msg.isRequest()) {
            if (!cseq[1].equals(msg.method())) {
                throw fail(400, "CSeq method does not match the request method", msg);
            }
            String mf = c.maxForwards;
            if (mf != null) {
                try {
                    int v = Integer.parseInt(mf.trim());
                    if (v < 0 || v > 255) {
                        throw fail(400, "Max-Forwards out of range", msg);
                    }
                } catch (NumberFormatException e) {
                    throw fail(400, "Malformed Max-Forwards", msg);
                }
            }
            String scheme = msg.requestUri().contains(":")
                    ? msg.requestUri().substring(0, msg.requestUri().indexOf(':')).toLowerCase(Locale.ROOT) : "";
            if (!scheme.equals("sip") && !scheme.equals("sips") && !scheme.equals("tel")) {
                throw fail(416, "Unsupported URI Scheme", msg);
            }
            if (scheme.startsWith("sip") && SipUri.parse(msg.requestUri()) == null) {
                throw fail(400, "Malformed Request-URI", msg);
            }
        }
        for (String via : c.vias) {
            // the plain prefix first: only a Via written otherwise needs the case and white space folded
            if (!via.startsWith("SIP/2.0/") && !via.toUpperCase(Locale.ROOT).replace(" ", "").startsWith("SIP/2.0/")) {
                throw fail(400, "Malformed Via", msg);
            }
        }
        if (c.to.size() == 1 && SipHeaders.uri(c.to.get(0)).isEmpty()) {
            throw fail(400, "Malformed To", msg);
        }
        checkSyntax(msg, c);
    }

    /**
     * The grammar of RFC 3261 section 25.1 for what the edge routes on: Request-URI, From, To, Contact, Route,
     * Record-Route, every Via and the Call-ID (the reason names the header and what is wrong with it).
     */
    private static void checkSyntax(SipMessage msg, Checked c) throws SipParseException {
        if (msg.isRequest() && SipSyntax.requestUri(msg.requestUri()) != null) {
            throw fail(400, "Malformed Request-URI", msg);
        }
        String callId = SipSyntax.callId(c.callId.trim());
        if (callId != null) {
            throw fail(400, callId, msg);
        }
        for (String via : c.vias) {
            String bad = SipSyntax.via(via);
            if (bad != null) {
                throw fail(400, bad, msg);
            }
        }
        for (String h : ADDRESS_HEADERS) {
            for (String v : c.values(h)) {
                String bad = SipSyntax.address(v, h.equals("Contact"), h.endsWith("Route"));
                if (bad != null) {
                    throw fail(400, "Malformed " + h + ": " + bad, msg);
                }
            }
        }
    }

    private static SipParseException fail(int status, String reason, SipMessage msg) {
        return new SipParseException(status, reason, msg.isRequest() ? msg : null);
    }

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
