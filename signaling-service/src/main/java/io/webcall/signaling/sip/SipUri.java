package io.webcall.signaling.sip;

import java.util.Locale;

/**
 * The parts of a SIP URI the edge routes on (RFC 3261 section 19.1): scheme, user, host, port and URI parameters.
 */
public record SipUri(String scheme, String user, String host, int port, String params) {

    /** Parses {@code sip:user@host:port;params}; returns null for other schemes or broken URIs. */
    public static SipUri parse(String uri) {
        if (uri == null) {
            return null;
        }
        String u = uri.trim();
        int colon = u.indexOf(':');
        if (colon <= 0) {
            return null;
        }
        String scheme = u.substring(0, colon).toLowerCase(Locale.ROOT);
        if (!scheme.equals("sip") && !scheme.equals("sips")) {
            return null;
        }
        String rest = u.substring(colon + 1);
        int q = rest.indexOf('?');
        if (q >= 0) {
            rest = rest.substring(0, q);
        }
        String params = "";
        int at = rest.lastIndexOf('@');
        int semi = rest.indexOf(';', Math.max(at, 0));
        if (semi >= 0) {
            params = rest.substring(semi);
            rest = rest.substring(0, semi);
        }
        String user = null;
        if (at >= 0) {
            user = rest.substring(0, at);
            int pw = user.indexOf(':');
            if (pw >= 0) {
                user = user.substring(0, pw);
            }
            rest = rest.substring(at + 1);
        }
        String host = rest;
        int port = -1;
        if (host.startsWith("[")) {
            int close = host.indexOf(']');
            if (close < 0) {
                return null;
            }
            if (close + 1 < host.length() && host.charAt(close + 1) == ':') {
                port = parsePort(host.substring(close + 2));
            }
            host = host.substring(0, close + 1);
        } else {
            int pc = host.lastIndexOf(':');
            if (pc >= 0) {
                port = parsePort(host.substring(pc + 1));
                host = host.substring(0, pc);
            }
        }
        if (host.isEmpty() || port == -2) {
            return null;
        }
        return new SipUri(scheme, user, host.toLowerCase(Locale.ROOT), port, params);
    }

    private static int parsePort(String s) {
        try {
            int p = Integer.parseInt(s);
            return p > 0 && p < 65536 ? p : -2;
        } catch (NumberFormatException e) {
            return -2;
        }
    }

    /** Value of a URI parameter, "" when present without value, null when absent. */
    public String param(String name) {
        // a scan over ";key[=value]" pieces, without splitting them into strings first
        int n = params.length();
        int from = 0;
        while (from < n) {
            int end = params.indexOf(';', from);
            if (end < 0) {
                end = n;
            }
            int eq = params.indexOf('=', from);
            int keyEnd = eq < 0 || eq > end ? end : eq;
            if (keyEnd - from == name.length() && params.regionMatches(true, from, name, 0, name.length())) {
                return keyEnd == end ? "" : params.substring(keyEnd + 1, end);
            }
            from = end + 1;
        }
        return null;
    }

    public boolean hasParam(String name) {
        return param(name) != null;
    }

    public String transport() {
        String t = param("transport");
        return t == null ? (scheme.equals("sips") ? "tls" : "udp") : t.toLowerCase(Locale.ROOT);
    }

    public int portOrDefault() {
        return port > 0 ? port : (scheme.equals("sips") ? 5061 : 5060);
    }

    /** The address-of-record form {@code sip:user@host}. */
    public String aor() {
        return "sip:" + (user == null ? "" : user + "@") + host;
    }
}
