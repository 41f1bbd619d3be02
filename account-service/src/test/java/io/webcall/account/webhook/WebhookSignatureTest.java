package io.webcall.account.webhook;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WebhookSignatureTest {

    static final byte[] BODY = "{\"type\":\"call.completed\"}".getBytes(StandardCharsets.UTF_8);

    @Test
    void headerIsHexHmacSha256OfTimestampDotBody() {
        // the independent helper is right: RFC 4231 section 4.3, test case 2
        assertEquals("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
                Hmac.hex("Jefe", "what do ya want for nothing?"));
        String header = WebhookSignature.header("Jefe", 1764000000L, BODY);
        assertEquals("t=1764000000,v1=" + Hmac.hex("Jefe", "1764000000." + new String(BODY, StandardCharsets.UTF_8)), header);
    }

    @Test
    void verifiesWithinToleranceAndRefusesReplayTamperingAndWrongSecret() {
        Instant now = Instant.parse("2026-11-24T10:00:00Z");
        String header = WebhookSignature.header("whsec_a", now.getEpochSecond(), BODY);
        assertTrue(WebhookSignature.verify("whsec_a", header, BODY, now.plusSeconds(60), Duration.ofMinutes(5)));
        assertFalse(WebhookSignature.verify("whsec_a", header, BODY, now.plusSeconds(301), Duration.ofMinutes(5)), "replayed later");
        assertFalse(WebhookSignature.verify("whsec_b", header, BODY, now, Duration.ofMinutes(5)), "other secret");
        byte[] tampered = "{\"type\":\"call.answered\"}".getBytes(StandardCharsets.UTF_8);
        assertFalse(WebhookSignature.verify("whsec_a", header, tampered, now, Duration.ofMinutes(5)), "body changed");
        String otherTime = header.replace("t=" + now.getEpochSecond(), "t=" + (now.getEpochSecond() + 1));
        assertFalse(WebhookSignature.verify("whsec_a", otherTime, BODY, now, Duration.ofMinutes(5)), "timestamp changed");
        assertFalse(WebhookSignature.verify("whsec_a", "garbage", BODY, now, Duration.ofMinutes(5)));
        assertFalse(WebhookSignature.verify("whsec_a", null, BODY, now, Duration.ofMinutes(5)));
    }
}
