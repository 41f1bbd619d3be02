package io.webcall.relay.srtp;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/**
 * GHASH of AES-GCM (NIST SP 800-38D section 6.4) through the JDK's own implementation, whose block loop the JIT
 * compiles to carry-less multiply instructions. The JDK's GCM cipher builds a new GHASH (with a table of the
 * hash subkey's powers) at every initialisation, which SRTP needs once per packet; calling the JDK's block
 * function directly lets {@link AesGcmCipher} keep one table per key. The JDK does not export that function: it
 * is reachable only when the JVM is started with {@code --add-opens java.base/com.sun.crypto.provider=ALL-UNNAMED}
 * (as the local stack, the container image and the Helm chart start the relay); otherwise {@link #available()} is
 * false and the relay keeps the JDK's GCM cipher.
 */
final class Ghash {

    /** {@code static void processBlocks(byte[] data, int offset, int blocks, long[] state, long[] subkeyTable)}. */
    private static final MethodHandle PROCESS_BLOCKS;
    /** Length of the JDK's subkey table (the hash subkey in its first two longs, room for its powers after). */
    private static final int TABLE_LENGTH;
    private static final String UNAVAILABLE;

    static {
        MethodHandle process = null;
        int length = 0;
        String why = null;
        try {
            Class<?> ghash = Class.forName("com.sun.crypto.provider.GHASH");
            MethodHandles.Lookup lookup = MethodHandles.privateLookupIn(ghash, MethodHandles.lookup());
            process = lookup.findStatic(ghash, "processBlocks", MethodType.methodType(void.class, byte[].class,
                    int.class, int.class, long[].class, long[].class));
            Object sample = lookup.findConstructor(ghash, MethodType.methodType(void.class, byte[].class))
                    .invoke(new byte[16]);
            length = ((long[]) lookup.findGetter(ghash, "subkeyHtbl", long[].class).invoke(sample)).length;
            if (length < 2) {
                throw new IllegalStateException("unexpected GHASH subkey table of " + length + " longs");
            }
        } catch (Throwable e) {
            process = null;
            why = e.toString();
        }
        PROCESS_BLOCKS = process;
        TABLE_LENGTH = length;
        UNAVAILABLE = why;
    }

    private Ghash() {
    }

    /** Whether the JDK's GHASH can be called (the JVM opens its package to the relay). */
    static boolean available() {
        return PROCESS_BLOCKS != null;
    }

    /** Why {@link #available()} is false (null when it is true). */
    static String unavailableReason() {
        return UNAVAILABLE;
    }

    /** A subkey table for hash subkey {@code h} (16 bytes), to be passed to every {@link #process} with that key. */
    static long[] table(byte[] h) {
        long[] table = new long[TABLE_LENGTH];
        table[0] = longAt(h, 0);
        table[1] = longAt(h, 8);
        return table;
    }

    /**
     * Folds {@code blocks} 16-byte blocks of {@code data} from {@code offset} into {@code state} (two longs, big
     * endian halves of the 128-bit value). The caller guarantees the ranges: the JDK's compiled form checks none.
     */
    static void process(byte[] data, int offset, int blocks, long[] state, long[] table) {
        if (blocks <= 0) {
            return;
        }
        if (offset < 0 || data.length - offset < blocks * 16 || state.length != 2 || table.length != TABLE_LENGTH) {
            throw new IllegalArgumentException("GHASH range");
        }
        try {
            PROCESS_BLOCKS.invokeExact(data, offset, blocks, state, table);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
    }

    static long longAt(byte[] b, int at) {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (b[at + i] & 0xff);
        }
        return v;
    }
}
