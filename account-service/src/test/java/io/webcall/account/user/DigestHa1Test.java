package io.webcall.account.user;

import io.webcall.account.crypto.Hashes;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The stored HA1 values produce the digest responses published in the RFCs, so the edge can verify
 * real clients from HA1 alone.
 */
class DigestHa1Test {

    /** RFC 2617 section 3.5: the worked example (MD5, qop=auth). */
    @Test
    void md5Ha1ReproducesTheRfc2617Example() {
        String ha1 = DigestHa1.md5("Mufasa", "testrealm@host.com", "Circle Of Life");
        String ha2 = Hashes.md5Hex("GET:/dir/index.html");
        String response = Hashes.md5Hex(ha1 + ":dcd98b7102dd2f0e8b11d0f600bfb0c093:00000001:0a4f113b:auth:" + ha2);
        assertEquals("6629fae49393a05397450978507c4ef1", response);
    }

    /** RFC 7616 section 3.9.1: the same request answered with MD5 and with SHA-256. */
    @Test
    void md5AndSha256Ha1ReproduceTheRfc7616Examples() {
        String nonce = "7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v";
        String cnonce = "f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ";
        String tail = ":" + nonce + ":00000001:" + cnonce + ":auth:";

        String md5Ha1 = DigestHa1.md5("Mufasa", "http-auth@example.org", "Circle of Life");
        assertEquals("8ca523f5e9506fed4657c9700eebdbec",
                Hashes.md5Hex(md5Ha1 + tail + Hashes.md5Hex("GET:/dir/index.html")));

        String shaHa1 = DigestHa1.sha256("Mufasa", "http-auth@example.org", "Circle of Life");
        assertEquals("753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1",
                Hashes.sha256Hex(shaHa1 + tail + Hashes.sha256Hex("GET:/dir/index.html")));
    }
}
