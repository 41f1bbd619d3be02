package io.webcall.relay.srtp;

import io.webcall.relay.dtls.SrtpKeys;
import io.webcall.relay.dtls.SrtpProfile;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.HexFormat;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * AES_CM_128_HMAC_SHA1_80 against the reference packets of libsrtp's validation driver, byte for byte: master key
 * and salt of RFC 3711 Appendix B.3, key derivation (section 4.3), AES counter mode (section 4.1.1), the
 * HMAC-SHA1 tag (section 4.2) and, for SRTCP, the E flag and SRTCP index (section 3.4).
 */
class SrtpReferenceVectorTest {

    private static final HexFormat HEX = HexFormat.of();
    private static final byte[] MASTER_KEY = HEX.parseHex("e1f97a0d3e018be0d64fa32c06de4139");
    private static final byte[] MASTER_SALT = HEX.parseHex("0ec675ad498afeebb6960b3aabe6");

    private static final byte[] RTP = HEX.parseHex("800f1234decafbadcafebabeabababababababababababababababab");
    private static final byte[] SRTP = HEX.parseHex(
            "800f1234decafbadcafebabe4e55dc4ce79978d88ca4d215949d2402b78d6acc99ea179b8dbb");
    private static final byte[] RTCP = HEX.parseHex("81c8000bcafebabe" + "ab".repeat(16));
    /** SRTCP index 1 with the E flag set (0x80000001), then the 80-bit tag. */
    private static final byte[] SRTCP = HEX.parseHex(
            "81c8000bcafebabe7128035be487b9bdbef89041f977a5a880000001993e08cd54d6c1230798");

    private static SrtpSession session() {
        return new SrtpSession(new SrtpKeys(SrtpProfile.AES_CM_128_HMAC_SHA1_80, MASTER_KEY, MASTER_SALT,
                MASTER_KEY, MASTER_SALT));
    }

    private static byte[] bytes(PacketBuffer p) {
        return Arrays.copyOfRange(p.getBuffer(), p.getOffset(), p.getOffset() + p.getLength());
    }

    @Test
    void protectedRtpMatchesTheReferencePacketAndUnprotectsToThePlaintext() {
        try (SrtpSession sender = session(); SrtpSession receiver = session()) {
            PacketBuffer packet = PacketBuffer.copyOf(RTP, 0, RTP.length);
            assertTrue(sender.protectRtp(packet));
            assertArrayEquals(SRTP, bytes(packet));

            PacketBuffer received = PacketBuffer.copyOf(SRTP, 0, SRTP.length);
            assertEquals(SrtpResult.OK, receiver.unprotectRtp(received));
            assertArrayEquals(RTP, bytes(received));
        }
    }

    @Test
    void protectedRtcpCarriesTheEncryptedFlagAndIndexOfTheReferencePacket() {
        try (SrtpSession sender = session(); SrtpSession receiver = session()) {
            PacketBuffer first = PacketBuffer.copyOf(RTCP, 0, RTCP.length);
            assertTrue(sender.protectRtcp(first));
            byte[] indexZero = bytes(first);
            assertEquals(SRTCP.length, indexZero.length);
            assertArrayEquals(HEX.parseHex("80000000"), Arrays.copyOfRange(indexZero, 24, 28), "E flag, index 0");

            PacketBuffer second = PacketBuffer.copyOf(RTCP, 0, RTCP.length);
            assertTrue(sender.protectRtcp(second));
            assertArrayEquals(SRTCP, bytes(second));

            PacketBuffer received = PacketBuffer.copyOf(SRTCP, 0, SRTCP.length);
            assertEquals(SrtpResult.OK, receiver.unprotectRtcp(received));
            assertArrayEquals(RTCP, bytes(received));
        }
    }
}
