package io.webcall.signaling.sip;

import static io.webcall.signaling.sip.SipBasicRules.endOfQuoted;
import static io.webcall.signaling.sip.SipBasicRules.isToken;
import static io.webcall.signaling.sip.SipBasicRules.isUriParamChar;
import static io.webcall.signaling.sip.SipBasicRules.skipWs;

/**
 * Parameter lists of RFC 3261 section 25.1: the {@code *( SEMI generic-param )} after a header value (Via, From, To,
 * Contact, Route, Record-Route) and the uri-parameters of a SIP URI.
 */
final class SipParamSyntax {

    private SipParamSyntax() {
    }

    /** {@code *( SEMI param )} of a header value between {@code from} and {@code to}. */
    static boolean params(String s, int from, int to) {
        return params(s, from, to, false);
    }

    /**
     * {@code *( SEMI param )}, {@code param = token [ EQUAL ( token / host / quoted-string ) ]}; in a URI
     * ({@code uri}) the values may carry escapes and the header part after {@code ?} is not inspected.
     */
    static boolean params(String s, int from, int to, boolean uri) {
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
}
