package io.webcall.signaling.sip;

import java.security.SecureRandom;

/** Builds responses to requests (RFC 3261 section 8.2.6) and the random identifiers the edge needs. */
public final class SipResponses {

    /**
     * A deterministic random bit generator (NIST SP 800-90Ar1) seeded from the system: as unpredictable as the
     * default generator, but without a system call per identifier as the default (/dev/urandom backed) one makes.
     */
    private static final SecureRandom RANDOM = generator();
    private static final char[] ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789".toCharArray();

    private SipResponses() {
    }

    private static SecureRandom generator() {
        try {
            return SecureRandom.getInstance("DRBG");
        } catch (java.security.NoSuchAlgorithmException e) {
            return new SecureRandom();
        }
    }

    /** A response copying Via, From, To, Call-ID and CSeq; a To tag is added to non-100 responses without one. */
    public static SipMessage create(SipMessage request, int status, String reason) {
        SipMessage r = SipMessage.response(status, reason);
        for (String via : request.headers("Via")) {
            r.add("Via", via);
        }
        addIfPresent(r, "From", request.header("From"));
        String to = request.header("To");
        if (status > 100 && to != null && SipHeaders.param(to, "tag") == null) {
            to = to + ";tag=" + token(10);
        }
        addIfPresent(r, "To", to);
        addIfPresent(r, "Call-ID", request.callId());
        addIfPresent(r, "CSeq", request.header("CSeq"));
        return r;
    }

    private static void addIfPresent(SipMessage r, String name, String value) {
        if (value != null) {
            r.add(name, value);
        }
    }

    /** A response with a fixed To tag, so retransmissions and later responses of one transaction agree. */
    public static SipMessage create(SipMessage request, int status, String reason, String toTag) {
        SipMessage r = create(request, status, reason);
        String to = request.header("To");
        if (toTag != null && to != null && SipHeaders.param(to, "tag") == null) {
            r.set("To", to + ";tag=" + toTag);
        }
        return r;
    }

    /** A branch value with the RFC 3261 magic cookie (section 8.1.1.7). */
    public static String newBranch() {
        return "z9hG4bK" + token(16);
    }

    /**
     * A random identifier of {@code length} lower-case letters and digits (about 5.2 bits each) for tags, branches,
     * nonces and flow tokens. One call to the secure generator per identifier; a byte is used only below the largest
     * multiple of the alphabet size, so every character is equally likely.
     */
    public static String token(int length) {
        char[] c = new char[length];
        byte[] bytes = new byte[length + 8];
        int filled = 0;
        while (filled < length) {
            RANDOM.nextBytes(bytes);
            for (int i = 0; i < bytes.length && filled < length; i++) {
                int v = bytes[i] & 0xff;
                if (v < 252) { // 252 = 7 * 36
                    c[filled++] = ALPHABET[v % ALPHABET.length];
                }
            }
        }
        return new String(c);
    }
}
