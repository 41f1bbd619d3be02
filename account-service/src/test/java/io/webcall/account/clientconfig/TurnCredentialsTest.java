package io.webcall.account.clientconfig;

import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;

class TurnCredentialsTest {

    /** Known answer: HMAC-SHA1 per RFC 2202 test case 2 ("Jefe", "what do ya want for nothing?"), base64. */
    @Test
    void credentialIsBase64HmacSha1OfTheUsername() {
        assertEquals("7/zfauXrL6LSdBbV8YTfnCWafHk=", TurnCredentials.hmacSha1Base64("Jefe", "what do ya want for nothing?"));
    }

    @Test
    void usernameIsExpiryColonUser() {
        TurnCredentials.Pair pair = TurnCredentials.issue("s3cret", "alice@demo.localhost", Instant.ofEpochSecond(1_700_000_000L));
        assertEquals("1700000000:alice@demo.localhost", pair.username());
        assertEquals(TurnCredentials.hmacSha1Base64("s3cret", "1700000000:alice@demo.localhost"), pair.credential());
    }
}
