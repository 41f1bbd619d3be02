package io.webcall.signaling.sip;

import static io.webcall.signaling.sip.SipBasicRules.isAlpha;
import static io.webcall.signaling.sip.SipBasicRules.isDigit;

/**
 * The URI grammar of RFC 3261 section 25.1 as far as the edge routes on it: a SIP or SIPS URI (section 19.1.1) with
 * its user part, hostport (hostname, IPv4 address or IPv6 reference, port) and uri-parameters, any other scheme as an
 * absoluteURI. Hand-written scanners over a range of a string: they run on every message.
 */
final class SipUriSyntax {

    private SipUriSyntax() {
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
        return hostPort(s, start, end) && SipParamSyntax.params(s, end, to, true);
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
}
