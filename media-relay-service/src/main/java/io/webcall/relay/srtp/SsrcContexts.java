package io.webcall.relay.srtp;

import java.util.Arrays;
import java.util.function.IntFunction;

/**
 * Crypto contexts by SSRC (RFC 3711 section 3.2.3) for one direction, at most {@code limit} of them. A session
 * nearly always has one or two streams, so a lookup is a scan of a tiny int array with no boxing and no lock;
 * a new SSRC replaces the arrays (copy on write).
 */
final class SsrcContexts<T> {

    private record Entries(int[] ssrcs, Object[] contexts) {
    }

    private final int limit;
    private volatile Entries entries = new Entries(new int[0], new Object[0]);

    SsrcContexts(int limit) {
        this.limit = limit;
    }

    /** The context of {@code ssrc}, derived on first use; null when the limit of streams is reached. */
    @SuppressWarnings("unchecked")
    T get(int ssrc, IntFunction<T> derive) {
        Entries e = entries;
        int[] ssrcs = e.ssrcs;
        for (int i = 0; i < ssrcs.length; i++) {
            if (ssrcs[i] == ssrc) {
                return (T) e.contexts[i];
            }
        }
        return add(ssrc, derive);
    }

    @SuppressWarnings("unchecked")
    private synchronized T add(int ssrc, IntFunction<T> derive) {
        Entries e = entries;
        for (int i = 0; i < e.ssrcs.length; i++) {
            if (e.ssrcs[i] == ssrc) {
                return (T) e.contexts[i];
            }
        }
        if (e.ssrcs.length >= limit) {
            return null;
        }
        T context = derive.apply(ssrc);
        int n = e.ssrcs.length;
        int[] ssrcs = Arrays.copyOf(e.ssrcs, n + 1);
        Object[] contexts = Arrays.copyOf(e.contexts, n + 1);
        ssrcs[n] = ssrc;
        contexts[n] = context;
        entries = new Entries(ssrcs, contexts);
        return context;
    }

    int size() {
        return entries.ssrcs.length;
    }
}
