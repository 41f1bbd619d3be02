package io.webcall.relay.session;

import io.webcall.relay.sdp.Codec;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * The relay's state for one call: the offering leg (A), the answering leg (B, absent in echo mode), the
 * offer/answer exchange in progress, and liveness timestamps for the timeouts.
 */
public final class MediaSession {

    /** An offer that went out and waits for its answer. */
    record PendingOffer(Leg offering, Leg receiving, List<Codec> offered) {
    }

    private final String callId;
    private final Instant createdAt = Instant.now();
    private final boolean echo;
    private final BiConsumer<MediaSession, String> failureHandler;
    private Leg a;
    private Leg b;
    private PendingOffer pending;
    private boolean answered;
    private volatile long lastMediaNanos = System.nanoTime();
    private volatile long lastSignalNanos = System.nanoTime();
    private volatile boolean noMediaReported;
    private volatile String failure;
    private volatile boolean closed;
    private final java.util.concurrent.atomic.AtomicLong reportSeq = new java.util.concurrent.atomic.AtomicLong();

    MediaSession(String callId, boolean echo, BiConsumer<MediaSession, String> failureHandler) {
        this.callId = callId;
        this.echo = echo;
        this.failureHandler = failureHandler;
    }

    public String callId() { return callId; }
    public Instant createdAt() { return createdAt; }
    public boolean echo() { return echo; }
    public Leg a() { return a; }
    public Leg b() { return b; }
    void a(Leg leg) { this.a = leg; }
    void b(Leg leg) { this.b = leg; }
    PendingOffer pending() { return pending; }
    void pending(PendingOffer value) { this.pending = value; }
    public boolean answered() { return answered; }
    void answered(boolean value) { this.answered = value; }
    public String failure() { return failure; }
    public boolean noMediaReported() { return noMediaReported; }
    void noMediaReported(boolean value) { this.noMediaReported = value; }
    public long lastMediaNanos() { return lastMediaNanos; }
    public long lastSignalNanos() { return lastSignalNanos; }
    public boolean closed() { return closed; }
    /** Next per-call statistics report number, starting at 1. */
    long nextReportSeq() { return reportSeq.incrementAndGet(); }

    public List<Leg> legs() {
        List<Leg> legs = new ArrayList<>(2);
        if (a != null) {
            legs.add(a);
        }
        if (b != null) {
            legs.add(b);
        }
        return legs;
    }

    void touchMedia() {
        touchMedia(System.nanoTime());
    }

    /** Media arrived at {@code now} (a {@link System#nanoTime()} value). */
    void touchMedia(long now) {
        lastMediaNanos = now;
        if (noMediaReported) {
            noMediaReported = false;  // a volatile write only when the flag changes, not per packet
        }
    }

    void touchSignal() {
        lastSignalNanos = System.nanoTime();
    }

    /** The session cannot carry media any more (e.g. DTLS fingerprint mismatch): no media flows. */
    void fail(String reason) {
        if (failure == null) {
            failure = reason;
            for (Leg leg : legs()) {
                leg.disconnect();
            }
            failureHandler.accept(this, reason);
        }
    }

    void close() {
        closed = true;
        for (Leg leg : legs()) {
            leg.disconnect();
            leg.endpoint().close();
        }
    }
}
