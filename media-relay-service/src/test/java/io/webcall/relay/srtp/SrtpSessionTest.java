package io.webcall.relay.srtp;

import io.webcall.relay.dtls.SrtpKeys;
import io.webcall.relay.dtls.SrtpProfile;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.security.SecureRandom;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Both negotiated protection profiles protect, authenticate and replay-check (RFC 3711, RFC 7714). */
class SrtpSessionTest {

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void protectsAndUnprotectsRtpAndRejectsTamperingAndReplays(SrtpProfile profile) {
        byte[] material = new byte[profile.keyingMaterialLength()];
        new SecureRandom().nextBytes(material);
        try (SrtpSession client = new SrtpSession(SrtpKeys.fromKeyingMaterial(profile, material, false));
             SrtpSession server = new SrtpSession(SrtpKeys.fromKeyingMaterial(profile, material, true))) {
            byte[] rtp = new byte[12 + 160];
            rtp[0] = (byte) 0x80;
            rtp[3] = 1;
            rtp[11] = 42;
            Arrays.fill(rtp, 12, rtp.length, (byte) 0x5a);
            PacketBuffer packet = PacketBuffer.copyOf(rtp, 0, rtp.length);
            assertTrue(client.protectRtp(packet));
            assertTrue(packet.getLength() > rtp.length, "authentication tag added");
            byte[] wire = Arrays.copyOfRange(packet.getBuffer(), packet.getOffset(), packet.getOffset() + packet.getLength());
            assertFalse(Arrays.equals(Arrays.copyOfRange(wire, 12, 172), Arrays.copyOfRange(rtp, 12, 172)), "encrypted");

            byte[] tampered = wire.clone();
            tampered[20] ^= 1;
            assertEquals(SrtpResult.AUTH_FAIL, server.unprotectRtp(PacketBuffer.copyOf(tampered, 0, tampered.length)));

            PacketBuffer received = PacketBuffer.copyOf(wire, 0, wire.length);
            assertEquals(SrtpResult.OK, server.unprotectRtp(received));
            assertArrayEquals(rtp, Arrays.copyOfRange(received.getBuffer(), received.getOffset(),
                    received.getOffset() + received.getLength()));
            assertEquals(SrtpResult.REPLAY, server.unprotectRtp(PacketBuffer.copyOf(wire, 0, wire.length)));
        }
    }

    @org.junit.jupiter.api.Test
    void forgedPacketsForManySsrcsDoNotGrowStateWithoutBound() {
        byte[] material = new byte[SrtpProfile.AES_CM_128_HMAC_SHA1_80.keyingMaterialLength()];
        try (SrtpSession server = new SrtpSession(SrtpKeys.fromKeyingMaterial(SrtpProfile.AES_CM_128_HMAC_SHA1_80,
                material, true))) {
            int refused = 0;
            for (int ssrc = 1; ssrc <= SrtpSession.MAX_SSRCS + 10; ssrc++) {
                byte[] forged = new byte[12 + 50 + 10];
                forged[0] = (byte) 0x80;
                forged[11] = (byte) ssrc;
                SrtpResult result = server.unprotectRtp(PacketBuffer.copyOf(forged, 0, forged.length));
                assertTrue(result == SrtpResult.AUTH_FAIL || result == SrtpResult.INVALID);
                if (result == SrtpResult.INVALID) {
                    refused++;
                }
            }
            assertEquals(10, refused, "SSRCs past the limit are refused before any key derivation");
        }
    }
}
