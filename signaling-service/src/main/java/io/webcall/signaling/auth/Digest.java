package io.webcall.signaling.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

/** Digest response computation (RFC 7616 section 3.4.1) for MD5 and SHA-256, from a stored HA1. */
public final class Digest {

    private Digest() {
    }

    public static String hash(String algorithm, String text) {
        try {
            String jca = algorithm.toUpperCase(Locale.ROOT).startsWith("SHA-256") ? "SHA-256" : "MD5";
            return HexFormat.of().formatHex(MessageDigest.getInstance(jca).digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The expected {@code response} for the given HA1, request method and parameters. */
    public static String response(String algorithm, String ha1, String method, String uri, String nonce,
                                  String nc, String cnonce, String qop) {
        String ha2 = hash(algorithm, method + ":" + uri);
        if (qop == null || qop.isEmpty()) {
            return hash(algorithm, ha1 + ":" + nonce + ":" + ha2);
        }
        return hash(algorithm, ha1 + ":" + nonce + ":" + nc + ":" + cnonce + ":" + qop + ":" + ha2);
    }

    /** Constant-time comparison of two hex digests. */
    public static boolean matches(String expected, String actual) {
        if (actual == null) {
            return false;
        }
        return MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII),
                actual.toLowerCase(Locale.ROOT).getBytes(StandardCharsets.US_ASCII));
    }
}
