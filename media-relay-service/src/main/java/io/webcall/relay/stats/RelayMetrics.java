package io.webcall.relay.stats;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/** Prometheus counters of the relay (exposed on /q/metrics). */
@ApplicationScoped
public class RelayMetrics {

    private final MeterRegistry registry;
    private final Map<DropReason, Counter> drops = new EnumMap<>(DropReason.class);
    private final Counter relayed;
    private final Counter sessionsCreated;
    private final Counter dtlsFailures;
    private final Counter fingerprintMismatches;
    private final Counter noMediaEvents;

    public RelayMetrics(MeterRegistry registry) {
        this.registry = registry;
        for (DropReason reason : DropReason.values()) {
            drops.put(reason, Counter.builder("relay_packets_dropped").tag("reason", reason.label())
                    .description("Datagrams dropped by the relay, by reason").register(registry));
        }
        relayed = Counter.builder("relay_packets_relayed").description("RTP/RTCP packets forwarded")
                .register(registry);
        sessionsCreated = Counter.builder("relay_sessions_created").register(registry);
        dtlsFailures = Counter.builder("relay_dtls_failures").register(registry);
        fingerprintMismatches = Counter.builder("relay_dtls_fingerprint_mismatches").register(registry);
        noMediaEvents = Counter.builder("relay_no_media_events").register(registry);
    }

    public void sessionGauge(Supplier<Number> activeSessions) {
        registry.gauge("relay_sessions_active", this, m -> activeSessions.get().doubleValue());
    }

    /** Sessions whose media failed and whose record is kept (resources already freed) until DELETE or expiry. */
    public void failedSessionGauge(Supplier<Number> failedSessions) {
        Gauge.builder("relay_sessions_failed", () -> failedSessions.get().doubleValue())
                .description("Failed sessions whose record is kept until deleted or expired").register(registry);
    }

    public void drop(DropReason reason) {
        drops.get(reason).increment();
    }

    public double dropped(DropReason reason) {
        return drops.get(reason).count();
    }

    public void relayed() {
        relayed.increment();
    }

    public double relayedCount() {
        return relayed.count();
    }

    public void sessionCreated() {
        sessionsCreated.increment();
    }

    public void dtlsFailure(boolean fingerprintMismatch) {
        dtlsFailures.increment();
        if (fingerprintMismatch) {
            fingerprintMismatches.increment();
        }
    }

    public double fingerprintMismatches() {
        return fingerprintMismatches.count();
    }

    public void noMedia() {
        noMediaEvents.increment();
    }
}
