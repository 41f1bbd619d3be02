package io.webcall.signaling.sip;

import static io.webcall.signaling.sip.SipBasicRules.endOfQuoted;
import static io.webcall.signaling.sip.SipBasicRules.isToken;
import static io.webcall.signaling.sip.SipBasicRules.isWord;
import static io.webcall.signaling.sip.SipBasicRules.isWs;
import static io.webcall.signaling.sip.SipBasicRules.skipWs;

/**
 * Syntax checks of the header values the edge routes on, after the ABNF of RFC 3261 section 25.1: Request-URI,
 * name-addr / addr-spec (From, To, Contact, Route, Record-Route), Via (sent-protocol, sent-by, via-params) and
 * Call-ID. Each check returns null when the value is well formed, else a short reason for the 400 response; the URIs
 * inside are checked by {@link SipUriSyntax}, the parameter lists by {@link SipParamSyntax}. Hand-written scanners
 * without regular expressions or intermediate objects: they run on every message.
 */
final class SipSyntax {

    private SipSyntax() {
    }

    /** {@code Request-URI = SIP-URI / SIPS-URI / absoluteURI} (section 25.1). */
    static String requestUri(String uri) {
        return SipUriSyntax.uri(uri, 0, uri.length()) ? null : "Malformed Request-URI";
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
            if (!SipUriSyntax.uri(v, us, ue)) {
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
            if (end <= i || !SipUriSyntax.uri(v, i, end)) {
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
        return SipParamSyntax.params(v, paramsFrom, n) ? null : "malformed parameter";
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
        if (!SipUriSyntax.hostPort(via, i, end)) {
            return "Malformed Via sent-by";
        }
        if (!SipParamSyntax.params(via, end, n)) {
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
}
