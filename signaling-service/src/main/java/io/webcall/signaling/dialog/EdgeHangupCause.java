package io.webcall.signaling.dialog;

import io.webcall.signaling.sip.SipHeaders;
import io.webcall.signaling.sip.SipMessage;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.Set;

/**
 * Why an edge ended a call it relays for another edge, told to the owning edge in a private header of its BYE:
 * {@code X-Webcall-Edge-Cause: <cause>;sig=<HMAC>}. A Reason header (RFC 3326) cannot carry this: any user agent may
 * send {@code Reason: ...;text="Connection lost"}, and the owning edge would record a user's own hang-up as a lost
 * connection. The signature is HMAC-SHA256, keyed with the secret every service of a deployment shares
 * ({@code webcall.internal.token}), over the cause and what identifies this one request (Call-ID, From and To tags,
 * CSeq number and method), so it cannot be forged without the secret nor replayed on another request. Every edge
 * removes the header from every request it receives before routing it (so it never reaches a browser or a PBX) and
 * believes the cause only when the signature matches.
 */
public final class EdgeHangupCause {

    /** The private header. */
    public static final String HEADER = "X-Webcall-Edge-Cause";
    /** The callee's connection was lost and did not come back within the grace period. */
    public static final String WS_LOST = "ws-lost";
    /** The call's session timer lapsed without refresh (RFC 4028 section 10). */
    public static final String SESSION_TIMER_EXPIRED = "session-timer-expired";
    private static final Set<String> CAUSES = Set.of(WS_LOST, SESSION_TIMER_EXPIRED);

    private EdgeHangupCause() {
    }

    /** Adds the signed cause to a request the edge itself sends (its tags and CSeq must be final). */
    public static void add(SipMessage request, String cause, String secret) {
        if (secret == null || secret.isEmpty() || !CAUSES.contains(cause)) {
            return;
        }
        request.add(HEADER, cause + ";sig=" + mac(secret, cause, request));
    }

    /**
     * Removes the header from a received request and returns its cause when the signature proves another edge of the
     * deployment wrote it for this very request; null otherwise (no header, unknown cause, bad or missing signature, no
     * secret configured).
     */
    public static String take(SipMessage request, String secret) {
        String value = request.header(HEADER);
        if (value == null) {
            return null;
        }
        request.remove(HEADER);
        int semi = value.indexOf(';');
        String cause = (semi < 0 ? value : value.substring(0, semi)).trim();
        String sig = SipHeaders.param(value, "sig");
        if (secret == null || secret.isEmpty() || sig == null || !CAUSES.contains(cause)) {
            return null;
        }
        byte[] expected = mac(secret, cause, request).getBytes(StandardCharsets.UTF_8);
        return MessageDigest.isEqual(expected, sig.getBytes(StandardCharsets.UTF_8)) ? cause : null;
    }

    private static String mac(String secret, String cause, SipMessage request) {
        String input = cause + "|" + request.callId() + "|" + request.fromTag() + "|" + request.toTag() + "|"
                + request.cseqNumber() + "|" + request.method();
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            byte[] h = mac.doFinal(input.getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(Arrays.copyOf(h, 16));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }
}
