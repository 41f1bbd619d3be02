package io.webcall.signaling.transaction;

/** RFC 3261 section 17.1.1.1 timer values in milliseconds. */
public final class Timers {
    /** RTT estimate. */
    public static final long T1 = 500;
    /** Maximum retransmit interval for non-INVITE requests and INVITE responses. */
    public static final long T2 = 4000;
    /** Maximum duration a message remains in the network. */
    public static final long T4 = 5000;
    /** Timers B, F, H: 64*T1. */
    public static final long TIMEOUT = 64 * T1;

    private Timers() {
    }
}
