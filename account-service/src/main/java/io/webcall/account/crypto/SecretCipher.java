package io.webcall.account.crypto;

import io.webcall.account.config.AccountConfig;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;

/**
 * Encrypts secrets that must be read back (PBX trunk passwords, JWT signing keys) with AES-GCM
 * (NIST SP 800-38D) under {@code webcall.crypto.secret-key}. Output: {@code v1:} + base64 of a
 * 12-byte random IV followed by ciphertext and 128-bit tag. The caller's context string is bound as
 * additional authenticated data, so a ciphertext copied to another row or purpose does not decrypt.
 */
@Singleton
public class SecretCipher {

    private static final String VERSION = "v1:";
    private static final int IV_BYTES = 12;
    private static final int TAG_BITS = 128;

    private final SecretKey key;
    private final SecureRandom random = new SecureRandom();

    @Inject
    public SecretCipher(AccountConfig config) {
        this(config.crypto().secretKey().orElseThrow(() -> new IllegalStateException(
                "webcall.crypto.secret-key is not set: give a base64 AES key (32 random bytes), "
                        + "e.g. from `head -c32 /dev/urandom | base64`")));
    }

    public SecretCipher(String base64Key) {
        byte[] raw;
        try {
            raw = Base64.getDecoder().decode(base64Key.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("webcall.crypto.secret-key is not valid base64");
        }
        if (raw.length != 16 && raw.length != 24 && raw.length != 32) {
            throw new IllegalStateException("webcall.crypto.secret-key must decode to 16, 24 or 32 bytes, not " + raw.length);
        }
        this.key = new SecretKeySpec(raw, "AES");
        Arrays.fill(raw, (byte) 0);
    }

    public String encrypt(String plaintext, String context) {
        return encrypt(plaintext.getBytes(StandardCharsets.UTF_8), context);
    }

    public String encrypt(byte[] plaintext, String context) {
        byte[] iv = new byte[IV_BYTES];
        random.nextBytes(iv);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, iv));
            cipher.updateAAD(context.getBytes(StandardCharsets.UTF_8));
            byte[] sealed = cipher.doFinal(plaintext);
            byte[] out = new byte[IV_BYTES + sealed.length];
            System.arraycopy(iv, 0, out, 0, IV_BYTES);
            System.arraycopy(sealed, 0, out, IV_BYTES, sealed.length);
            return VERSION + Base64.getEncoder().encodeToString(out);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM encryption failed", e);
        }
    }

    public String decryptToString(String sealed, String context) {
        return new String(decrypt(sealed, context), StandardCharsets.UTF_8);
    }

    public byte[] decrypt(String sealed, String context) {
        if (sealed == null || !sealed.startsWith(VERSION)) {
            throw new IllegalStateException("unknown ciphertext format");
        }
        byte[] in = Base64.getDecoder().decode(sealed.substring(VERSION.length()));
        if (in.length < IV_BYTES + TAG_BITS / 8) {
            throw new IllegalStateException("ciphertext too short");
        }
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, in, 0, IV_BYTES));
            cipher.updateAAD(context.getBytes(StandardCharsets.UTF_8));
            return cipher.doFinal(in, IV_BYTES, in.length - IV_BYTES);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("stored secret does not decrypt (wrong webcall.crypto.secret-key or tampered data)", e);
        }
    }
}
