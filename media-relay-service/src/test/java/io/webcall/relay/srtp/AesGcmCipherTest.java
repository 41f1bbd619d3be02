package io.webcall.relay.srtp;

import org.jitsi.srtp.SrtpContextFactory;
import org.jitsi.srtp.SrtpPolicy;
import org.jitsi.utils.logging2.LoggerImpl;
import org.junit.jupiter.api.Test;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.security.InvalidAlgorithmParameterException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AesGcmCipherTest {

    private static final HexFormat HEX = HexFormat.of();

    private static Cipher ours() throws Exception {
        assertTrue(Ghash.available(), "the JDK's GHASH is not reachable: " + Ghash.unavailableReason());
        return OwnGcm.newCipher();
    }

    @Test
    void gcmContextsOfTheSrtpLibraryGetTheRelaysCipherAndOthersKeepTheJdks() throws Exception {
        assertTrue(OwnGcm.active());
        byte[] key = new byte[16];
        byte[] salt = new byte[12];
        SrtpPolicy gcm = new SrtpPolicy(SrtpPolicy.AESGCM_ENCRYPTION, 16, SrtpPolicy.NULL_AUTHENTICATION, 0, 16, 12);
        SrtpContextFactory factory = new SrtpContextFactory(true, key, salt, gcm, gcm, new LoggerImpl("test"));
        assertEquals("WebcallSrtp", OwnGcm.cipherOf(OwnGcm.install(factory.deriveContext(1, 0))).getProvider().getName());
        assertEquals("WebcallSrtp", OwnGcm.cipherOf(OwnGcm.install(factory.deriveControlContext(1))).getProvider().getName());
        SrtpPolicy cm = new SrtpPolicy(SrtpPolicy.AESCM_ENCRYPTION, 16, SrtpPolicy.HMACSHA1_AUTHENTICATION, 20, 10, 14);
        SrtpContextFactory cmFactory = new SrtpContextFactory(true, key, new byte[14], cm, cm, new LoggerImpl("test"));
        assertNotEquals("WebcallSrtp", OwnGcm.cipherOf(OwnGcm.install(cmFactory.deriveContext(1, 0))).getProvider().getName());
    }

    @Test
    void matchesTheGcmSpecificationTestCaseWithAad() throws Exception {
        // McGrew and Viega, "The Galois/Counter Mode of Operation", test case 4 (96-bit IV, 20 bytes of AAD)
        byte[] key = HEX.parseHex("feffe9928665731c6d6a8f9467308308");
        byte[] iv = HEX.parseHex("cafebabefacedbaddecaf888");
        byte[] plain = HEX.parseHex("d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72"
                + "1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39");
        byte[] aad = HEX.parseHex("feedfacedeadbeeffeedfacedeadbeefabaddad2");
        byte[] expected = HEX.parseHex("42831ec2217774244b7221b784d0d49ce3aa212f2c02a4e035c17e2329aca12e"
                + "21d514b25466931c7d8f6a5aac84aa051ba30b396a0aac973d58e091"
                + "5bc94fbc3221a5db94fae95ae7121a47");
        Cipher c = ours();
        SecretKeySpec k = new SecretKeySpec(key, "AES");
        c.init(Cipher.ENCRYPT_MODE, k, new GCMParameterSpec(128, iv));
        c.updateAAD(aad);
        byte[] buf = Arrays.copyOf(plain, plain.length + 16);
        assertEquals(expected.length, c.doFinal(buf, 0, plain.length, buf, 0));
        assertArrayEquals(expected, buf);
        c.init(Cipher.DECRYPT_MODE, k, new GCMParameterSpec(128, iv));
        c.updateAAD(aad);
        assertEquals(plain.length, c.doFinal(buf, 0, buf.length, buf, 0));
        assertArrayEquals(plain, Arrays.copyOf(buf, plain.length));
    }

    @Test
    void agreesWithTheJdkCipherInPlaceForEveryLengthAndKeyChange() throws Exception {
        Random random = new Random(7714);
        Cipher ours = ours();
        Cipher jdk = Cipher.getInstance("AES/GCM/NoPadding", "SunJCE");
        SecretKeySpec[] keys = new SecretKeySpec[3];
        for (int i = 0; i < keys.length; i++) {
            byte[] key = new byte[i == 2 ? 32 : 16];
            random.nextBytes(key);
            keys[i] = new SecretKeySpec(key, "AES");
        }
        int[] aadLengths = {0, 8, 12, 16, 20, 44};
        int[] textLengths = {0, 1, 15, 16, 17, 160, 172, 1200};
        int round = 0;
        for (int aadLength : aadLengths) {
            for (int textLength : textLengths) {
                SecretKeySpec key = keys[round++ % keys.length];
                byte[] iv = new byte[12];
                random.nextBytes(iv);
                byte[] packet = new byte[aadLength + textLength + 16];
                random.nextBytes(packet);
                byte[] theirs = packet.clone();
                jdk.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, iv));
                jdk.updateAAD(theirs, 0, aadLength);
                int n = jdk.doFinal(theirs, aadLength, textLength, theirs, aadLength);

                byte[] mine = packet.clone();
                ours.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, iv));
                ours.updateAAD(mine, 0, aadLength);
                assertEquals(n, ours.doFinal(mine, aadLength, textLength, mine, aadLength));
                assertArrayEquals(theirs, mine, "aad " + aadLength + ", text " + textLength);

                ours.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(128, iv));
                ours.updateAAD(mine, 0, aadLength);
                assertEquals(textLength, ours.doFinal(mine, aadLength, textLength + 16, mine, aadLength));
                assertArrayEquals(Arrays.copyOf(packet, aadLength + textLength), Arrays.copyOf(mine, aadLength + textLength));
            }
        }
    }

    @Test
    void refusesATamperedPacketAndLeavesItUntouched() throws Exception {
        Cipher c = ours();
        SecretKeySpec k = new SecretKeySpec(new byte[16], "AES");
        byte[] iv = new byte[12];
        byte[] buf = new byte[12 + 160 + 16];
        c.init(Cipher.ENCRYPT_MODE, k, new GCMParameterSpec(128, iv));
        c.updateAAD(buf, 0, 12);
        c.doFinal(buf, 12, 160, buf, 12);
        for (int at : new int[] {0, 12, 12 + 159, 12 + 160, buf.length - 1}) {
            byte[] tampered = buf.clone();
            tampered[at] ^= 1;
            byte[] before = tampered.clone();
            c.init(Cipher.DECRYPT_MODE, k, new GCMParameterSpec(128, iv));
            c.updateAAD(tampered, 0, 12);
            assertThrows(AEADBadTagException.class, () -> c.doFinal(tampered, 12, 176, tampered, 12), "byte " + at);
            assertArrayEquals(before, tampered, "no plaintext written for a bad tag");
        }
        assertThrows(AEADBadTagException.class, () -> {
            c.init(Cipher.DECRYPT_MODE, k, new GCMParameterSpec(128, iv));
            c.doFinal(new byte[15], 0, 15, new byte[15], 0);
        });
    }

    @Test
    void neverEncryptsTwiceWithOneKeyAndIv() throws Exception {
        Cipher c = ours();
        SecretKeySpec k = new SecretKeySpec(new byte[16], "AES");
        byte[] iv = new byte[12];
        c.init(Cipher.ENCRYPT_MODE, k, new GCMParameterSpec(128, iv));
        c.doFinal(new byte[16], 0, 0, new byte[16], 0);
        assertThrows(InvalidAlgorithmParameterException.class,
                () -> c.init(Cipher.ENCRYPT_MODE, k, new GCMParameterSpec(128, iv)));
        assertThrows(IllegalStateException.class, () -> c.doFinal(new byte[16], 0, 0, new byte[16], 0),
                "an encryption needs a new IV");
        iv[11] = 1;
        c.init(Cipher.ENCRYPT_MODE, k, new GCMParameterSpec(128, iv));
        assertThrows(InvalidAlgorithmParameterException.class,
                () -> c.init(Cipher.ENCRYPT_MODE, k, new GCMParameterSpec(96, new byte[12])), "tag of 96 bits");
        assertThrows(InvalidAlgorithmParameterException.class,
                () -> c.init(Cipher.ENCRYPT_MODE, k, new GCMParameterSpec(128, new byte[16])), "IV of 16 bytes");
    }
}
