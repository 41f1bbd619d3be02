package io.webcall.signaling.logging;

import io.vertx.core.Handler;
import org.jboss.logging.MDC;

/**
 * Keeps the Call-ID in the logging MDC (key {@value #KEY}) for asynchronous continuations: Vert.x future callbacks,
 * timers and completions run later, often on another thread, after the code that scheduled them has cleared the
 * MDC. A wrapped handler sets the Call-ID for the duration of the callback and restores what was there before.
 */
public final class CallMdc {

    /** MDC key of the Call-ID, printed by the console format as {@code call-id=...} and kept in JSON logs. */
    public static final String KEY = "callId";

    private CallMdc() {
    }

    /** The Call-ID in the MDC of the current thread, or null. */
    public static String current() {
        Object v = MDC.get(KEY);
        return v == null ? null : v.toString();
    }

    /** The handler, run with the Call-ID the current thread has now (unchanged when it has none). */
    public static <T> Handler<T> wrap(Handler<T> handler) {
        String callId = current();
        return callId == null ? handler : forCall(callId, handler);
    }

    /** The handler, run with {@code callId} in the MDC. */
    public static <T> Handler<T> forCall(String callId, Handler<T> handler) {
        return value -> {
            Object previous = MDC.get(KEY);
            MDC.put(KEY, callId);
            try {
                handler.handle(value);
            } finally {
                restore(previous);
            }
        };
    }

    /** The task, run with the Call-ID the current thread has now. */
    public static Runnable wrap(Runnable task) {
        String callId = current();
        if (callId == null) {
            return task;
        }
        return () -> forCall(callId, v -> task.run()).handle(null);
    }

    private static void restore(Object previous) {
        if (previous == null) {
            MDC.remove(KEY);
        } else {
            MDC.put(KEY, previous);
        }
    }
}
