package io.webcall.account.crypto;

import org.junit.jupiter.api.Test;

import java.util.Base64;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class SecretCipherTest {

    private static final String KEY = Base64.getEncoder().encodeToString(new byte[32]);

    @Test
    void roundTripsAndUsesAFreshIvEachTime() {
        SecretCipher cipher = new SecretCipher(KEY);
        String a = cipher.encrypt("trunk password", "ctx");
        String b = cipher.encrypt("trunk password", "ctx");
        assertNotEquals(a, b);
        assertFalse(a.contains("trunk"));
        assertEquals("trunk password", cipher.decryptToString(a, "ctx"));
        assertEquals("trunk password", cipher.decryptToString(b, "ctx"));
    }

    @Test
    void refusesAnotherContextAnotherKeyOrTamperedData() {
        SecretCipher cipher = new SecretCipher(KEY);
        String sealed = cipher.encrypt("secret", "tenant-pbx-password:a");
        assertThrows(IllegalStateException.class, () -> cipher.decrypt(sealed, "tenant-pbx-password:b"));
        byte[] otherKey = new byte[32];
        otherKey[0] = 1;
        SecretCipher other = new SecretCipher(Base64.getEncoder().encodeToString(otherKey));
        assertThrows(IllegalStateException.class, () -> other.decrypt(sealed, "tenant-pbx-password:a"));
        byte[] raw = Base64.getDecoder().decode(sealed.substring(3));
        raw[raw.length - 1] ^= 1;
        String tampered = "v1:" + Base64.getEncoder().encodeToString(raw);
        assertThrows(IllegalStateException.class, () -> cipher.decrypt(tampered, "tenant-pbx-password:a"));
    }

    @Test
    void rejectsKeysThatAreNotAesSized() {
        assertThrows(IllegalStateException.class, () -> new SecretCipher(Base64.getEncoder().encodeToString(new byte[20])));
        assertThrows(IllegalStateException.class, () -> new SecretCipher("not base64!"));
    }
}
