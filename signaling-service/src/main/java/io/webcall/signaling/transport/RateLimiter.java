package io.webcall.signaling.transport;

/** Token bucket limiting requests per connection or per UDP source. Not thread-safe: one owner thread. */
final class RateLimiter {

    private final double perNano;
    private final double burst;
    private double tokens;
    private long last;

    RateLimiter(int perSecond, int burst) {
        this.perNano = perSecond / 1_000_000_000.0;
        this.burst = Math.max(1, burst);
        this.tokens = this.burst;
        this.last = System.nanoTime();
    }

    synchronized boolean tryAcquire() {
        long now = System.nanoTime();
        tokens = Math.min(burst, tokens + (now - last) * perNano);
        last = now;
        if (tokens >= 1) {
            tokens -= 1;
            return true;
        }
        return false;
    }
}
