package io.webcall.signaling.auth;

import io.webcall.signaling.sip.SipHeaders;
import io.webcall.signaling.sip.SipResponses;

import java.util.Locale;
import java.util.Map;

/** Answers a digest challenge from a PBX with the trunk's credentials (RFC 7616 section 3.4, RFC 3261 section 22.2). */
public final class ClientDigest {

    private ClientDigest() {
    }

    /**
     * The Authorization / Proxy-Authorization value for {@code challenge} (a WWW-Authenticate or
     * Proxy-Authenticate value), or null when the scheme or algorithm is not supported.
     */
    public static String answer(String challenge, String method, String uri, String username, String password) {
        if (!SipHeaders.authScheme(challenge).equalsIgnoreCase("Digest")) {
            return null;
        }
        Map<String, String> p = SipHeaders.authParams(challenge);
        String algorithm = p.getOrDefault("algorithm", "MD5");
        String alg = algorithm.toUpperCase(Locale.ROOT);
        if (!alg.equals("MD5") && !alg.equals("SHA-256")) {
            return null;
        }
        String realm = p.getOrDefault("realm", "");
        String nonce = p.getOrDefault("nonce", "");
        String ha1 = Digest.hash(alg, username + ":" + realm + ":" + password);
        String qopOffer = p.get("qop");
        boolean auth = qopOffer != null && java.util.Arrays.stream(qopOffer.split(",")).map(String::trim).anyMatch("auth"::equals);
        StringBuilder sb = new StringBuilder("Digest username=\"").append(username).append("\", realm=\"").append(realm)
                .append("\", nonce=\"").append(nonce).append("\", uri=\"").append(uri).append("\", algorithm=").append(algorithm);
        if (auth) {
            String cnonce = SipResponses.token(16);
            String nc = "00000001";
            sb.append(", qop=auth, nc=").append(nc).append(", cnonce=\"").append(cnonce).append("\", response=\"")
                    .append(Digest.response(alg, ha1, method, uri, nonce, nc, cnonce, "auth")).append('"');
        } else {
            sb.append(", response=\"").append(Digest.response(alg, ha1, method, uri, nonce, null, null, null)).append('"');
        }
        if (p.get("opaque") != null) {
            sb.append(", opaque=\"").append(p.get("opaque")).append('"');
        }
        return sb.toString();
    }
}
