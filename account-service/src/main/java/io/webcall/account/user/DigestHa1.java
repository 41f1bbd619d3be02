package io.webcall.account.user;

import io.webcall.account.crypto.Hashes;

/**
 * HTTP/SIP digest HA1 values: {@code H(username ":" realm ":" password)} (RFC 2617 section 3.2.2.2,
 * RFC 7616 section 3.4.2, used by SIP per RFC 3261 section 22.4 and RFC 8760), with H = MD5 or
 * SHA-256, lower-case hex. Storing these instead of the password lets the edge verify digest
 * responses without ever seeing the password.
 */
public final class DigestHa1 {

    private DigestHa1() {
    }

    public static String md5(String username, String realm, String password) {
        return Hashes.md5Hex(a1(username, realm, password));
    }

    public static String sha256(String username, String realm, String password) {
        return Hashes.sha256Hex(a1(username, realm, password));
    }

    private static String a1(String username, String realm, String password) {
        return username + ":" + realm + ":" + password;
    }
}
