package io.webcall.relay.stats;

/**
 * Mean opinion score estimated from loss, jitter and round-trip time with a simplified ITU-T G.107
 * E-model (R factor to MOS per G.107 annex B).
 */
public final class Mos {

    private Mos() {
    }

    public static double estimate(double lossRatio, double jitterMs, double rttMs) {
        double effectiveLatency = rttMs / 2 + 2 * jitterMs + 10;
        double r = effectiveLatency < 160 ? 93.2 - effectiveLatency / 40 : 93.2 - (effectiveLatency - 120) / 10;
        r -= lossRatio * 100 * 2.5;
        r = Math.max(0, Math.min(100, r));
        double mos = 1 + 0.035 * r + 0.000007 * r * (r - 60) * (100 - r);
        return Math.round(Math.max(1, Math.min(4.5, mos)) * 100) / 100.0;
    }
}
