package io.webcall.account.clientconfig;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.util.Base64;

/**
 * Short-lived TURN credentials in the form of the TURN REST API draft
 * (draft-uberti-behave-turn-rest-00 section 2.2), which coturn checks with {@code use-auth-secret}:
 * username = {@code <expiry unix time>:<user>}, password = base64(HMAC-SHA1(secret, username)).
 */
public final class TurnCredentials {

    private TurnCredentials() {
    }

    /** A username/credential pair valid until {@code expiresAt}. */
    public record Pair(String username, String credential) {
    }

    public static Pair issue(String secret, String user, Instant expiresAt) {
        String username = expiresAt.getEpochSecond() + ":" + user;
        return new Pair(username, hmacSha1Base64(secret, username));
    }

    static String hmacSha1Base64(String secret, String value) {
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
            return Base64.getEncoder().encodeToString(mac.doFinal(value.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA1 is not available", e);
        }
    }
}
