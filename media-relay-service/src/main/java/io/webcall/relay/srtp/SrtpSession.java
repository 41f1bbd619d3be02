package io.webcall.relay.srtp;

import io.webcall.relay.dtls.SrtpKeys;
import org.jitsi.srtp.SrtcpCryptoContext;
import org.jitsi.srtp.SrtpContextFactory;
import org.jitsi.srtp.SrtpCryptoContext;
import org.jitsi.srtp.SrtpErrorStatus;
import org.jitsi.srtp.SrtpPolicy;
import org.jitsi.srtp.crypto.Aes;
import org.jitsi.utils.logging2.LoggerImpl;

import java.security.GeneralSecurityException;

/**
 * SRTP/SRTCP protection for one DTLS association (RFC 3711; AES-GCM per RFC 7714), with a crypto
 * context per SSRC and the replay protection of RFC 3711 section 3.3.2 on the receive side.
 */
public final class SrtpSession implements AutoCloseable {

    /** Crypto contexts kept per direction; packets for further SSRCs are refused (bounds memory and CPU). */
    static final int MAX_SSRCS = 32;

    private static final org.jitsi.utils.logging2.Logger LOGGER =
            new SrtpLibraryLogger(new LoggerImpl(SrtpSession.class.getName()));

    /**
     * The AES provider of every SRTP cipher (AES-CM of RFC 3711 section 4.1.1, AES-GCM of RFC 7714): the JDK's own,
     * whose AES and GHASH the JIT compiles to AES-NI and carry-less multiply instructions. Left to itself the SRTP
     * library times OpenSSL, the JDK and BouncyCastle once, at first use, before the JIT has compiled anything, and
     * keeps the fastest of that cold run: usually OpenSSL through JNI (about a quarter slower per packet than the
     * warm JDK for AES-GCM), on a busy host sometimes pure-Java BouncyCastle (five to six times slower). AES-GCM
     * contexts then get the relay's own cipher on the same JDK primitives, which allocates nothing per packet
     * ({@link OwnGcm}).
     */
    static final String AES_FACTORY = "org.jitsi.srtp.crypto.Aes$SunJCECipherFactory";

    static {
        // Read by the library at its first cipher, which no class creates before this one.
        Aes.setFactoryClassName(AES_FACTORY);
    }

    private final SrtpContextFactory encryptFactory;
    private final SrtpContextFactory decryptFactory;
    private final SsrcContexts<SrtpCryptoContext> encryptRtp = new SsrcContexts<>(MAX_SSRCS);
    private final SsrcContexts<SrtpCryptoContext> decryptRtp = new SsrcContexts<>(MAX_SSRCS);
    private final SsrcContexts<SrtcpCryptoContext> encryptRtcp = new SsrcContexts<>(MAX_SSRCS);
    private final SsrcContexts<SrtcpCryptoContext> decryptRtcp = new SsrcContexts<>(MAX_SSRCS);
    private final java.util.function.IntFunction<SrtpCryptoContext> deriveEncrypt;
    private final java.util.function.IntFunction<SrtpCryptoContext> deriveDecrypt;
    private final java.util.function.IntFunction<SrtcpCryptoContext> deriveEncryptControl;
    private final java.util.function.IntFunction<SrtcpCryptoContext> deriveDecryptControl;

    public SrtpSession(SrtpKeys keys) {
        SrtpPolicy policy = policy(keys);
        encryptFactory = new SrtpContextFactory(true, keys.localKey(), keys.localSalt(), policy, policy, LOGGER);
        decryptFactory = new SrtpContextFactory(false, keys.remoteKey(), keys.remoteSalt(), policy, policy, LOGGER);
        deriveEncrypt = ssrc -> derive(encryptFactory, ssrc);
        deriveDecrypt = ssrc -> derive(decryptFactory, ssrc);
        deriveEncryptControl = ssrc -> deriveControl(encryptFactory, ssrc);
        deriveDecryptControl = ssrc -> deriveControl(decryptFactory, ssrc);
    }

    private static SrtpPolicy policy(SrtpKeys keys) {
        return switch (keys.profile()) {
            case AES_CM_128_HMAC_SHA1_80 -> new SrtpPolicy(SrtpPolicy.AESCM_ENCRYPTION, 16,
                    SrtpPolicy.HMACSHA1_AUTHENTICATION, 20, 10, 14);
            case AEAD_AES_128_GCM -> new SrtpPolicy(SrtpPolicy.AESGCM_ENCRYPTION, 16,
                    SrtpPolicy.NULL_AUTHENTICATION, 0, 16, 12);
        };
    }

    /** Protects an RTP packet in place (the buffer grows by the tag). */
    public boolean protectRtp(PacketBuffer packet) {
        try {
            int ssrc = readInt(packet, 8);
            SrtpCryptoContext ctx = encryptRtp.get(ssrc, deriveEncrypt);
            if (ctx == null) {
                return false;  // more streams than a session may have
            }
            return ctx.transformPacket(packet) == SrtpErrorStatus.OK;
        } catch (GeneralSecurityException | RuntimeException e) {
            return false;
        }
    }

    /** Authenticates, replay-checks and decrypts an SRTP packet in place. */
    public SrtpResult unprotectRtp(PacketBuffer packet) {
        if (packet.getLength() < 12 + 10) {
            return SrtpResult.INVALID;
        }
        try {
            int ssrc = readInt(packet, 8);
            SrtpCryptoContext ctx = decryptRtp.get(ssrc, deriveDecrypt);
            if (ctx == null) {
                return SrtpResult.INVALID;  // more streams than a session may have
            }
            return map(ctx.reverseTransformPacket(packet, false));
        } catch (GeneralSecurityException | RuntimeException e) {
            return SrtpResult.INVALID;
        }
    }

    public boolean protectRtcp(PacketBuffer packet) {
        try {
            int ssrc = readInt(packet, 4);
            SrtcpCryptoContext ctx = encryptRtcp.get(ssrc, deriveEncryptControl);
            if (ctx == null) {
                return false;  // more streams than a session may have
            }
            return ctx.transformPacket(packet) == SrtpErrorStatus.OK;
        } catch (GeneralSecurityException | RuntimeException e) {
            return false;
        }
    }

    public SrtpResult unprotectRtcp(PacketBuffer packet) {
        if (packet.getLength() < 8 + 4 + 10) {
            return SrtpResult.INVALID;
        }
        try {
            int ssrc = readInt(packet, 4);
            SrtcpCryptoContext ctx = decryptRtcp.get(ssrc, deriveDecryptControl);
            if (ctx == null) {
                return SrtpResult.INVALID;  // more streams than a session may have
            }
            return map(ctx.reverseTransformPacket(packet));
        } catch (GeneralSecurityException | RuntimeException e) {
            return SrtpResult.INVALID;
        }
    }

    private static SrtpResult map(SrtpErrorStatus status) {
        return switch (status) {
            case OK -> SrtpResult.OK;
            case AUTH_FAIL -> SrtpResult.AUTH_FAIL;
            case REPLAY_FAIL, REPLAY_OLD -> SrtpResult.REPLAY;
            default -> SrtpResult.INVALID;
        };
    }

    private static SrtpCryptoContext derive(SrtpContextFactory factory, int ssrc) {
        try {
            return OwnGcm.install(factory.deriveContext(ssrc, 0));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static SrtcpCryptoContext deriveControl(SrtpContextFactory factory, int ssrc) {
        try {
            return OwnGcm.install(factory.deriveControlContext(ssrc));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static int readInt(PacketBuffer p, int at) {
        byte[] b = p.getBuffer();
        int o = p.getOffset() + at;
        return ((b[o] & 0xff) << 24) | ((b[o + 1] & 0xff) << 16) | ((b[o + 2] & 0xff) << 8) | (b[o + 3] & 0xff);
    }

    @Override
    public void close() {
        encryptFactory.close();
        decryptFactory.close();
    }
}
