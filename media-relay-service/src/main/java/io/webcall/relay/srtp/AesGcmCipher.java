package io.webcall.relay.srtp;

import javax.crypto.AEADBadTagException;
import javax.crypto.BadPaddingException;
import javax.crypto.Cipher;
import javax.crypto.CipherSpi;
import javax.crypto.IllegalBlockSizeException;
import javax.crypto.NoSuchPaddingException;
import javax.crypto.ShortBufferException;
import javax.crypto.spec.GCMParameterSpec;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.InvalidAlgorithmParameterException;
import java.security.InvalidKeyException;
import java.security.Key;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.security.spec.AlgorithmParameterSpec;
import java.security.spec.InvalidParameterSpecException;
import java.util.Arrays;

/**
 * AES-GCM (NIST SP 800-38D) with a 96-bit IV and a 128-bit tag, as SRTP's AEAD_AES_128_GCM uses it (RFC 7714
 * sections 5 and 8), for one packet per initialisation and with no allocation per packet: the AES key schedule
 * (a JDK {@code AES/ECB} cipher, compiled to AES instructions) and the GHASH subkey table stay as long as the key
 * does, and the counter blocks, key stream and hash input live in buffers that grow to the largest packet seen.
 * The JDK's own GCM cipher builds its GCM engine, counter and GHASH objects anew at every {@code init}, which
 * SRTP calls for every packet (about 1 KiB of garbage per packet).
 * <p>
 * Semantics follow the JDK's cipher where the SRTP library relies on them: {@code updateAAD} before the data,
 * {@code doFinal} in place ({@code input == output}), decryption that checks the tag before writing any
 * plaintext ({@link AEADBadTagException}), and encryption that refuses to run twice with one key and IV.
 */
public final class AesGcmCipher extends CipherSpi {

    static final int TAG_LENGTH = 16;
    static final int IV_LENGTH = 12;
    private static final int BLOCK = 16;

    private final Cipher aes;
    private Key key;
    private byte[] keyBytes;
    private long[] table;
    private final long[] state = new long[2];
    private final byte[] iv = new byte[IV_LENGTH];
    private final byte[] lastEncryptIv = new byte[IV_LENGTH];
    private boolean encryptedWithIv;
    private int mode;
    private boolean ready;
    private byte[] aad = new byte[64];
    private int aadLength;
    private byte[] pending = new byte[0];
    private int pendingLength;
    private byte[] counters = new byte[0];
    private byte[] keyStream = new byte[0];
    private byte[] hashInput = new byte[0];
    private byte[] copy = new byte[0];
    private final byte[] tag = new byte[TAG_LENGTH];

    public AesGcmCipher() throws GeneralSecurityException {
        aes = Cipher.getInstance("AES/ECB/NoPadding", "SunJCE");
    }

    @Override
    protected void engineSetMode(String m) throws NoSuchAlgorithmException {
        if (!"GCM".equalsIgnoreCase(m)) {
            throw new NoSuchAlgorithmException("only GCM: " + m);
        }
    }

    @Override
    protected void engineSetPadding(String padding) throws NoSuchPaddingException {
        if (!"NoPadding".equalsIgnoreCase(padding)) {
            throw new NoSuchPaddingException("only NoPadding: " + padding);
        }
    }

    @Override
    protected int engineGetBlockSize() {
        return BLOCK;
    }

    @Override
    protected int engineGetOutputSize(int inputLen) {
        int total = pendingLength + inputLen;
        return mode == Cipher.ENCRYPT_MODE ? total + TAG_LENGTH : Math.max(0, total - TAG_LENGTH);
    }

    @Override
    protected byte[] engineGetIV() {
        return ready ? iv.clone() : null;
    }

    @Override
    protected AlgorithmParameters engineGetParameters() {
        if (!ready) {
            return null;
        }
        try {
            AlgorithmParameters p = AlgorithmParameters.getInstance("GCM");
            p.init(new GCMParameterSpec(TAG_LENGTH * 8, iv));
            return p;
        } catch (GeneralSecurityException e) {
            return null;
        }
    }

    @Override
    protected void engineInit(int opmode, Key k, SecureRandom random) throws InvalidKeyException {
        throw new InvalidKeyException("AES-GCM for SRTP needs the packet's IV as a GCMParameterSpec");
    }

    @Override
    protected void engineInit(int opmode, Key k, AlgorithmParameters params, SecureRandom random)
            throws InvalidKeyException, InvalidAlgorithmParameterException {
        try {
            engineInit(opmode, k, params == null ? null : params.getParameterSpec(GCMParameterSpec.class), random);
        } catch (InvalidParameterSpecException e) {
            throw new InvalidAlgorithmParameterException(e);
        }
    }

    @Override
    protected void engineInit(int opmode, Key k, AlgorithmParameterSpec params, SecureRandom random)
            throws InvalidKeyException, InvalidAlgorithmParameterException {
        ready = false;
        if (opmode != Cipher.ENCRYPT_MODE && opmode != Cipher.DECRYPT_MODE) {
            throw new InvalidAlgorithmParameterException("only encryption and decryption");
        }
        if (!(params instanceof GCMParameterSpec spec)) {
            throw new InvalidAlgorithmParameterException("a GCMParameterSpec is required");
        }
        if (spec.getTLen() != TAG_LENGTH * 8) {
            throw new InvalidAlgorithmParameterException("tag length must be 128 bits, not " + spec.getTLen());
        }
        byte[] nonce = spec.getIV();
        if (nonce.length != IV_LENGTH) {
            throw new InvalidAlgorithmParameterException("IV must be 12 bytes, not " + nonce.length);
        }
        setKey(k);
        if (opmode == Cipher.ENCRYPT_MODE && encryptedWithIv && Arrays.equals(nonce, lastEncryptIv)) {
            // SP 800-38D section 8: one key and IV never encrypt twice
            throw new InvalidAlgorithmParameterException("cannot reuse the IV for GCM encryption");
        }
        System.arraycopy(nonce, 0, iv, 0, IV_LENGTH);
        mode = opmode;
        aadLength = 0;
        pendingLength = 0;
        ready = true;
    }

    private void setKey(Key k) throws InvalidKeyException {
        if (k == key) {
            return;
        }
        if (k == null || !"AES".equalsIgnoreCase(k.getAlgorithm())) {
            throw new InvalidKeyException("an AES key is required");
        }
        byte[] bytes = k.getEncoded();
        if (bytes == null || (bytes.length != 16 && bytes.length != 24 && bytes.length != 32)) {
            throw new InvalidKeyException("AES key of 16, 24 or 32 bytes required");
        }
        if (!Arrays.equals(bytes, keyBytes)) {
            aes.init(Cipher.ENCRYPT_MODE, k);
            byte[] h = new byte[BLOCK];
            try {
                aes.doFinal(new byte[BLOCK], 0, BLOCK, h, 0);
            } catch (GeneralSecurityException e) {
                throw new InvalidKeyException(e);
            }
            table = Ghash.table(h);
            keyBytes = bytes;
            encryptedWithIv = false;
        }
        key = k;
    }

    @Override
    protected void engineUpdateAAD(byte[] src, int offset, int len) {
        checkReady();
        if (pendingLength > 0) {
            throw new IllegalStateException("AAD must come before the data");
        }
        if (aad.length - aadLength < len) {
            aad = Arrays.copyOf(aad, Math.max(aad.length * 2, aadLength + len));
        }
        System.arraycopy(src, offset, aad, aadLength, len);
        aadLength += len;
    }

    @Override
    protected byte[] engineUpdate(byte[] input, int inputOffset, int inputLen) {
        buffer(input, inputOffset, inputLen);
        return new byte[0];
    }

    @Override
    protected int engineUpdate(byte[] input, int inputOffset, int inputLen, byte[] output, int outputOffset) {
        buffer(input, inputOffset, inputLen);
        return 0;
    }

    /** Data before doFinal is kept until then (the tag covers all of it). */
    private void buffer(byte[] input, int offset, int len) {
        checkReady();
        if (len <= 0) {
            return;
        }
        if (pending.length - pendingLength < len) {
            pending = Arrays.copyOf(pending, Math.max(pending.length * 2, pendingLength + len));
        }
        System.arraycopy(input, offset, pending, pendingLength, len);
        pendingLength += len;
    }

    @Override
    protected byte[] engineDoFinal(byte[] input, int inputOffset, int inputLen)
            throws IllegalBlockSizeException, BadPaddingException {
        byte[] out = new byte[engineGetOutputSize(inputLen)];
        try {
            engineDoFinal(input, inputOffset, inputLen, out, 0);
        } catch (ShortBufferException e) {
            throw new IllegalStateException(e);
        }
        return out;
    }

    @Override
    protected int engineDoFinal(byte[] input, int inputOffset, int inputLen, byte[] output, int outputOffset)
            throws ShortBufferException, IllegalBlockSizeException, BadPaddingException {
        checkReady();
        byte[] data = input;
        int at = inputOffset;
        if (input == null) {
            data = new byte[0];
            at = 0;
            inputLen = 0;
        }
        if (pendingLength > 0) {
            buffer(data, at, inputLen);
            data = pending;
            at = 0;
            inputLen = pendingLength;
        } else if (data == output && at != outputOffset) {
            // overlapping regions at different offsets: read from a copy
            copy = grow(copy, inputLen);
            System.arraycopy(data, at, copy, 0, inputLen);
            data = copy;
            at = 0;
        }
        try {
            return mode == Cipher.ENCRYPT_MODE ? encrypt(data, at, inputLen, output, outputOffset)
                    : decrypt(data, at, inputLen, output, outputOffset);
        } finally {
            aadLength = 0;
            pendingLength = 0;
        }
    }

    private int encrypt(byte[] in, int at, int len, byte[] out, int outAt) throws ShortBufferException {
        if (out.length - outAt < len + TAG_LENGTH) {
            throw new ShortBufferException("need " + (len + TAG_LENGTH) + " bytes of output");
        }
        keyStream(len);
        for (int i = 0; i < len; i++) {
            out[outAt + i] = (byte) (in[at + i] ^ keyStream[BLOCK + i]);
        }
        hash(out, outAt, len);
        System.arraycopy(tag, 0, out, outAt + len, TAG_LENGTH);
        System.arraycopy(iv, 0, lastEncryptIv, 0, IV_LENGTH);
        encryptedWithIv = true;
        ready = false;  // like the JDK's cipher: a new IV before the next encryption
        return len + TAG_LENGTH;
    }

    private int decrypt(byte[] in, int at, int len, byte[] out, int outAt) throws ShortBufferException,
            AEADBadTagException {
        if (len < TAG_LENGTH) {
            throw new AEADBadTagException("input shorter than the tag");
        }
        int clen = len - TAG_LENGTH;
        if (out.length - outAt < clen) {
            throw new ShortBufferException("need " + clen + " bytes of output");
        }
        keyStream(clen);
        hash(in, at, clen);
        int diff = 0;
        for (int i = 0; i < TAG_LENGTH; i++) {
            diff |= tag[i] ^ in[at + clen + i];  // every byte compared: no early exit
        }
        if (diff != 0) {
            throw new AEADBadTagException("tag mismatch");
        }
        for (int i = 0; i < clen; i++) {
            out[outAt + i] = (byte) (in[at + i] ^ keyStream[BLOCK + i]);
        }
        return clen;
    }

    /** E(K, J0) in the first block of {@link #keyStream}, then the key stream for {@code len} bytes (inc32 from J0). */
    private void keyStream(int len) {
        int blocks = 1 + (len + BLOCK - 1) / BLOCK;
        int bytes = blocks * BLOCK;
        counters = grow(counters, bytes);
        keyStream = grow(keyStream, bytes);
        for (int b = 0; b < blocks; b++) {
            int o = b * BLOCK;
            System.arraycopy(iv, 0, counters, o, IV_LENGTH);
            int counter = 1 + b;  // J0 = IV || 0^31 || 1 (SP 800-38D section 7.1, 96-bit IV)
            counters[o + 12] = (byte) (counter >>> 24);
            counters[o + 13] = (byte) (counter >>> 16);
            counters[o + 14] = (byte) (counter >>> 8);
            counters[o + 15] = (byte) counter;
        }
        try {
            aes.update(counters, 0, bytes, keyStream, 0);
        } catch (ShortBufferException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The tag over the AAD and {@code len} bytes of ciphertext (SP 800-38D section 7.1 steps 5 and 6) into {@link #tag}. */
    private void hash(byte[] cipherText, int at, int len) {
        int aadPadded = (aadLength + BLOCK - 1) / BLOCK * BLOCK;
        int textPadded = (len + BLOCK - 1) / BLOCK * BLOCK;
        int total = aadPadded + textPadded + BLOCK;
        hashInput = grow(hashInput, total);
        Arrays.fill(hashInput, 0, total, (byte) 0);
        System.arraycopy(aad, 0, hashInput, 0, aadLength);
        System.arraycopy(cipherText, at, hashInput, aadPadded, len);
        long aadBits = (long) aadLength * 8;
        long textBits = (long) len * 8;
        for (int i = 0; i < 8; i++) {
            hashInput[total - 16 + i] = (byte) (aadBits >>> (56 - 8 * i));
            hashInput[total - 8 + i] = (byte) (textBits >>> (56 - 8 * i));
        }
        state[0] = 0;
        state[1] = 0;
        Ghash.process(hashInput, 0, total / BLOCK, state, table);
        for (int i = 0; i < 8; i++) {
            tag[i] = (byte) ((state[0] >>> (56 - 8 * i)) ^ keyStream[i]);
            tag[8 + i] = (byte) ((state[1] >>> (56 - 8 * i)) ^ keyStream[8 + i]);
        }
    }

    private void checkReady() {
        if (!ready) {
            throw new IllegalStateException("AES-GCM cipher not initialised with a key and a new IV");
        }
    }

    private static byte[] grow(byte[] b, int len) {
        return b.length >= len ? b : new byte[Math.max(len, 2 * b.length)];
    }
}
