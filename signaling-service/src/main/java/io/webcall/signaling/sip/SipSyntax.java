package io.webcall.signaling.sip;

/**
 * Syntax checks of the header values the edge routes on, after the ABNF of RFC 3261 section 25.1: Request-URI,
 * name-addr / addr-spec (From, To, Contact, Route, Record-Route), Via (sent-protocol, sent-by, via-params) and
 * Call-ID. Each check returns null when the value is well formed, else a short reason for the 400 response.
 * Hand-written scanners without regular expressions or intermediate objects: they run on every message.
 */
final class SipSyntax {

    private SipSyntax() {
    }

    /** {@code Request-URI = SIP-URI / SIPS-URI / absoluteURI} (section 25.1). */
    static String requestUri(String uri) {
        return uri(uri, 0, uri.length()) ? null : "Malformed Request-URI";
    }

    /**
     * {@code (name-addr / addr-spec) *(SEMI param)} (sections 20.10, 20.20, 20.39, 20.30, 20.34); {@code allowStar}
     * for Contact's {@code *} (section 20.10).
     */
    static String address(String value, boolean allowStar) {
        return address(value, allowStar, false);
    }

    /** As {@link #address(String, boolean)}; {@code sipOnly} for Route and Record-Route, which the edge routes along. */
    static String address(String value, boolean allowStar, boolean sipOnly) {
        String v = value;
        int n = v.length();
        int i = skipWs(v, 0, n);
        if (allowStar && v.substring(i).trim().equals("*")) {
            return null;
        }
        int lt = -1;
        if (i < n && v.charAt(i) == '"') {
            int q = endOfQuoted(v, i, n);
            if (q < 0) {
                return "unbalanced quotes";
            }
            i = skipWs(v, q, n);
            if (i >= n || v.charAt(i) != '<') {
                return "display name without <URI>";
            }
            lt = i;
        } else {
            // either a display name of tokens followed by <URI>, or an addr-spec
            int angle = v.indexOf('<', i);
            if (angle >= 0) {
                for (int k = i; k < angle; k++) {
                    char c = v.charAt(k);
                    if (!isToken(c) && c != ' ' && c != '\t') {
                        return "malformed display name";
                    }
                }
                lt = angle;
            }
        }
        int paramsFrom;
        if (lt >= 0) {
            int gt = v.indexOf('>', lt + 1);
            if (gt < 0) {
                return "missing >";
            }
            int us = skipWs(v, lt + 1, gt);
            int ue = gt;
            while (ue > us && isWs(v.charAt(ue - 1))) {
                ue--;
            }
            if (!uri(v, us, ue)) {
                return "malformed URI";
            }
            if (sipOnly && !isSip(v, us)) {
                return "not a SIP URI";
            }
            paramsFrom = gt + 1;
        } else {
            // addr-spec: the URI ends at the first semicolon, and may contain no comma, question mark or semicolon
            int semi = v.indexOf(';', i);
            int end = semi < 0 ? n : semi;
            while (end > i && isWs(v.charAt(end - 1))) {
                end--;
            }
            if (end <= i || !uri(v, i, end)) {
                return "malformed URI";
            }
            for (int k = i; k < end; k++) {
                char c = v.charAt(k);
                if (c == '?' || c == ',') {
                    return "malformed URI";
                }
            }
            if (sipOnly && !isSip(v, i)) {
                return "not a SIP URI";
            }
            paramsFrom = semi < 0 ? n : semi;
        }
        return params(v, paramsFrom, n) ? null : "malformed parameter";
    }

    /**
     * {@code via-parm = sent-protocol LWS sent-by *( SEMI via-params )} with the white space already normalised
     * ({@code SIP/2.0/TRANSPORT host[:port];params}); the transport is any token (section 25.1 other-transport).
     */
    static String via(String via) {
        int n = via.length();
        if (!via.regionMatches(true, 0, "SIP/2.0/", 0, 8)) {
            return "Malformed Via";
        }
        int i = 8;
        int t = i;
        while (i < n && isToken(via.charAt(i))) {
            i++;
        }
        if (i == t || i >= n || via.charAt(i) != ' ') {
            return "Malformed Via transport";
        }
        i++;
        int semi = via.indexOf(';', i);
        int end = semi < 0 ? n : semi;
        if (!hostPort(via, i, end)) {
            return "Malformed Via sent-by";
        }
        if (!params(via, end, n)) {
            return "Malformed Via parameter";
        }
        // RFC 3261 section 8.1.1.7: the branch identifies the transaction (section 17.2.3); the edge matches on it
        String branch = SipHeaders.param(via, "branch");
        return branch == null || branch.isEmpty() ? "Missing Via branch" : null;
    }

    private static boolean isSip(String s, int from) {
        return s.regionMatches(true, from, "sip:", 0, 4) || s.regionMatches(true, from, "sips:", 0, 5);
    }

    /** {@code callid = word [ "@" word ]} (section 25.1). */
    static String callId(String id) {
        int n = id.length();
        if (n == 0) {
            return "Malformed Call-ID";
        }
        int at = -1;
        for (int k = 0; k < n; k++) {
            char c = id.charAt(k);
            if (c == '@') {
                if (at >= 0 || k == 0 || k == n - 1) {
                    return "Malformed Call-ID";
                }
                at = k;
            } else if (!isWord(c)) {
                return "Malformed Call-ID";
            }
        }
        return null;
    }

    /** A URI between {@code from} and {@code to}: SIP/SIPS with a valid hostport, else any absoluteURI. */
    static boolean uri(String s, int from, int to) {
        int colon = -1;
        for (int k = from; k < to; k++) {
            char c = s.charAt(k);
            if (c == ':') {
                colon = k;
                break;
            }
            boolean ok = k == from ? isAlpha(c) : isAlpha(c) || isDigit(c) || c == '+' || c == '-' || c == '.';
            if (!ok) {
                return false;
            }
        }
        if (colon <= from || colon == to - 1) {
            return false;
        }
        for (int k = colon + 1; k < to; k++) {
            char c = s.charAt(k);
            if (c <= ' ' || c == '<' || c == '>' || c == '"' || c == 0x7F) {
                return false;
            }
        }
        int schemeLen = colon - from;
        boolean sip = schemeLen == 3 && s.regionMatches(true, from, "sip", 0, 3);
        boolean sips = schemeLen == 4 && s.regionMatches(true, from, "sips", 0, 4);
        if (!sip && !sips) {
            return true; // absoluteURI: the edge does not route on its parts
        }
        int start = colon + 1;
        int query = s.indexOf('?', start);
        int stop = query < 0 || query >= to ? to : query;
        // the user part may contain ';' (user-unreserved), the host part starts after the last '@'
        int at = s.lastIndexOf('@', stop - 1);
        if (at >= start) {
            if (at == start || s.indexOf('@', start) != at) {
                return false; // empty user, or an unescaped '@' inside it
            }
            start = at + 1;
        }
        int end = stop;
        int semi = s.indexOf(';', start);
        if (semi >= 0 && semi < stop) {
            end = semi;
        }
        return hostPort(s, start, end) && params(s, end, to, true);
    }

    /** {@code hostport = host [ ":" port ]}, host a hostname, an IPv4 address or an IPv6 reference. */
    static boolean hostPort(String s, int from, int to) {
        if (from >= to) {
            return false;
        }
        int hostEnd;
        if (s.charAt(from) == '[') {
            int close = s.indexOf(']', from);
            if (close < 0 || close >= to || !ipv6(s, from + 1, close)) {
                return false;
            }
            hostEnd = close + 1;
        } else {
            int colon = s.indexOf(':', from);
            hostEnd = colon < 0 || colon >= to ? to : colon;
            if (!hostname(s, from, hostEnd)) {
                return false;
            }
        }
        if (hostEnd == to) {
            return true;
        }
        if (s.charAt(hostEnd) != ':' || hostEnd + 1 == to || to - hostEnd - 1 > 5) {
            return false;
        }
        int port = 0;
        for (int k = hostEnd + 1; k < to; k++) {
            char c = s.charAt(k);
            if (!isDigit(c)) {
                return false;
            }
            port = port * 10 + (c - '0');
        }
        return port <= 65535;
    }

    /** {@code hostname = *( domainlabel "." ) toplabel [ "." ]} or an IPv4 address (labels of alphanum and '-'). */
    private static boolean hostname(String s, int from, int to) {
        if (from >= to) {
            return false;
        }
        if (ipv4(s, from, to)) {
            return true;
        }
        int end = s.charAt(to - 1) == '.' ? to - 1 : to;
        int labelStart = from;
        int lastLabel = from;
        for (int k = from; k <= end; k++) {
            if (k == end || s.charAt(k) == '.') {
                if (k == labelStart || s.charAt(labelStart) == '-' || s.charAt(k - 1) == '-') {
                    return false;
                }
                lastLabel = labelStart;
                labelStart = k + 1;
                continue;
            }
            char c = s.charAt(k);
            if (!isAlpha(c) && !isDigit(c) && c != '-') {
                return false;
            }
        }
        // toplabel = ALPHA / ALPHA *( alphanum / "-" ) alphanum
        return end > from && isAlpha(s.charAt(lastLabel));
    }

    /** {@code IPv4address = 1*3DIGIT "." 1*3DIGIT "." 1*3DIGIT "." 1*3DIGIT}, each at most 255. */
    private static boolean ipv4(String s, int from, int to) {
        int parts = 0;
        int value = -1;
        int digits = 0;
        for (int k = from; k <= to; k++) {
            if (k == to || s.charAt(k) == '.') {
                if (digits == 0 || value > 255) {
                    return false;
                }
                parts++;
                value = -1;
                digits = 0;
                continue;
            }
            char c = s.charAt(k);
            if (!isDigit(c) || ++digits > 3) {
                return false;
            }
            value = (value < 0 ? 0 : value * 10) + (c - '0');
        }
        return parts == 4;
    }

    private static boolean ipv6(String s, int from, int to) {
        if (from >= to) {
            return false;
        }
        for (int k = from; k < to; k++) {
            char c = s.charAt(k);
            if (!(isDigit(c) || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F' || c == ':' || c == '.')) {
                return false;
            }
        }
        // at least one colon; a leading or trailing colon only as part of "::"
        int colon = s.indexOf(':', from);
        if (colon < 0 || colon >= to) {
            return false;
        }
        if (s.charAt(from) == ':' && (to - from < 2 || s.charAt(from + 1) != ':')) {
            return false;
        }
        return s.charAt(to - 1) != ':' || to - from >= 2 && s.charAt(to - 2) == ':';
    }

    private static boolean params(String s, int from, int to) {
        return params(s, from, to, false);
    }

    /**
     * {@code *( SEMI param )}, {@code param = token [ EQUAL ( token / host / quoted-string ) ]}; in a URI
     * ({@code uri}) the values may carry escapes and the header part after {@code ?} is not inspected.
     */
    private static boolean params(String s, int from, int to, boolean uri) {
        int i = from;
        while (i < to) {
            i = skipWs(s, i, to);
            if (i >= to) {
                return true;
            }
            char c = s.charAt(i);
            if (uri && c == '?') {
                return true;
            }
            if (c != ';') {
                return false;
            }
            i = skipWs(s, i + 1, to);
            int name = i;
            while (i < to && (isToken(s.charAt(i)) || uri && isUriParamChar(s.charAt(i)))) {
                i++;
            }
            if (i == name) {
                return false;
            }
            i = skipWs(s, i, to);
            if (i < to && s.charAt(i) == '=') {
                i = skipWs(s, i + 1, to);
                if (i < to && s.charAt(i) == '"' && !uri) {
                    int q = endOfQuoted(s, i, to);
                    if (q < 0) {
                        return false;
                    }
                    i = q;
                } else {
                    int v = i;
                    while (i < to && (isToken(s.charAt(i)) || s.charAt(i) == ':' || s.charAt(i) == '[' || s.charAt(i) == ']'
                            || uri && isUriParamChar(s.charAt(i)))) {
                        i++;
                    }
                    if (i == v) {
                        return false;
                    }
                }
            }
        }
        return true;
    }

    /** The index after the closing quote of a quoted-string starting at {@code from}, or -1 (section 25.1). */
    private static int endOfQuoted(String s, int from, int to) {
        for (int k = from + 1; k < to; k++) {
            char c = s.charAt(k);
            if (c == '\\') {
                k++;
            } else if (c == '"') {
                return k + 1;
            }
        }
        return -1;
    }

    private static int skipWs(String s, int i, int to) {
        while (i < to && isWs(s.charAt(i))) {
            i++;
        }
        return i;
    }

    private static boolean isWs(char c) {
        return c == ' ' || c == '\t';
    }

    private static boolean isAlpha(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z';
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    /** {@code token} characters (section 25.1). */
    static boolean isToken(char c) {
        return isAlpha(c) || isDigit(c) || "-.!%*_+`'~".indexOf(c) >= 0;
    }

    /** {@code paramchar}: unreserved, escaped and param-unreserved characters of a URI parameter (section 25.1). */
    private static boolean isUriParamChar(char c) {
        return isToken(c) || "()&$/:[]".indexOf(c) >= 0;
    }

    /** {@code word} characters (section 25.1). */
    private static boolean isWord(char c) {
        return isToken(c) || "()<>:\\\"/[]?{}".indexOf(c) >= 0;
    }
}
