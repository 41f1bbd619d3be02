package io.webcall.relay.srtp;

import org.jboss.logging.Logger;
import org.jitsi.srtp.BaseSrtpCryptoContext;
import org.jitsi.srtp.crypto.SrtpCipher;
import org.jitsi.srtp.crypto.SrtpCipherGcm;

import javax.crypto.Cipher;
import java.lang.reflect.Field;
import java.security.NoSuchAlgorithmException;
import java.security.Provider;
import java.util.Map;

/**
 * Gives the SRTP library's AES-GCM crypto contexts (RFC 7714) an {@link AesGcmCipher} in place of the JDK's GCM
 * cipher, which allocates about 1 KiB per packet. The library creates its ciphers itself (and, for a cipher
 * factory it does not know, times every provider and keeps the fastest of a cold run), so the cipher is swapped
 * in the context right after it is derived: the context's {@code SrtpCipherGcm} keeps its key and IV handling and
 * calls the new cipher through the same {@code javax.crypto.Cipher} methods. When the JDK's GHASH is not
 * reachable ({@link Ghash#available()}) or the library's fields are not where they were, the JDK's cipher stays.
 */
final class OwnGcm {

    private static final Logger LOG = Logger.getLogger(OwnGcm.class);
    private static final String GCM = "AES/GCM/NoPadding";

    /** Holds {@link AesGcmCipher} only; never added to the JVM's provider list. */
    private static final Provider PROVIDER = new GcmProvider();
    private static final Field CONTEXT_CIPHER;
    private static final Field SRTP_CIPHER;
    private static final String UNAVAILABLE;

    static {
        Field context = null;
        Field srtp = null;
        String why = Ghash.unavailableReason();
        if (why == null) {
            try {
                context = BaseSrtpCryptoContext.class.getDeclaredField("cipher");
                context.setAccessible(true);
                srtp = SrtpCipher.class.getDeclaredField("cipher");
                srtp.setAccessible(true);
                if (context.getType() != SrtpCipher.class || srtp.getType() != Cipher.class) {
                    throw new NoSuchFieldException("cipher fields of another type");
                }
                Cipher.getInstance(GCM, PROVIDER);
            } catch (ReflectiveOperationException | RuntimeException | java.security.GeneralSecurityException e) {
                context = null;
                srtp = null;
                why = e.toString();
            }
        }
        CONTEXT_CIPHER = context;
        SRTP_CIPHER = srtp;
        UNAVAILABLE = why;
        if (why == null) {
            LOG.debug("SRTP AES-GCM: the relay's cipher (no allocation per packet)");
        } else {
            LOG.infof("SRTP AES-GCM: the JDK's cipher (about 1 KiB of garbage per packet): %s. Start the JVM with "
                    + "--add-opens java.base/com.sun.crypto.provider=ALL-UNNAMED for the relay's own.", why);
        }
    }

    private OwnGcm() {
    }

    /** Whether AES-GCM contexts get {@link AesGcmCipher}. */
    static boolean active() {
        return UNAVAILABLE == null;
    }

    /** A new {@link AesGcmCipher} behind the {@code javax.crypto.Cipher} API. */
    static Cipher newCipher() throws java.security.GeneralSecurityException {
        return Cipher.getInstance(GCM, PROVIDER);
    }

    /** Swaps the JDK's GCM cipher of {@code context} for an {@link AesGcmCipher}; other contexts are unchanged. */
    static <T extends BaseSrtpCryptoContext> T install(T context) {
        if (!active()) {
            return context;
        }
        try {
            Object cipher = CONTEXT_CIPHER.get(context);
            if (cipher instanceof SrtpCipherGcm) {
                SRTP_CIPHER.set(cipher, newCipher());
            }
        } catch (ReflectiveOperationException | java.security.GeneralSecurityException e) {
            LOG.debugf("SRTP AES-GCM: keeping the JDK's cipher for a context: %s", e);
        }
        return context;
    }

    /** The cipher that {@code context} encrypts with (for tests). */
    static Cipher cipherOf(BaseSrtpCryptoContext context) throws ReflectiveOperationException {
        Field f = SrtpCipher.class.getDeclaredField("cipher");
        f.setAccessible(true);
        Field c = BaseSrtpCryptoContext.class.getDeclaredField("cipher");
        c.setAccessible(true);
        return (Cipher) f.get(c.get(context));
    }

    private static final class GcmProvider extends Provider {

        GcmProvider() {
            super("WebcallSrtp", "1.0", "AES-GCM for SRTP packets with no allocation per packet");
            putService(new Service(this, "Cipher", GCM, AesGcmCipher.class.getName(), null, Map.of()) {
                @Override
                public Object newInstance(Object constructorParameter) throws NoSuchAlgorithmException {
                    try {
                        return new AesGcmCipher();
                    } catch (java.security.GeneralSecurityException e) {
                        throw new NoSuchAlgorithmException(e);
                    }
                }
            });
        }
    }
}
