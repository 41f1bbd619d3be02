package io.webcall.signaling.auth;

import io.webcall.signaling.EdgeConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Counts failed authentications per source address and refuses a source that failed too often in the window. */
@ApplicationScoped
public class FailureThrottle {

    @Inject
    EdgeConfig config;

    private static final class Window {
        long start = System.nanoTime();
        int failures;
    }

    private final Map<String, Window> bySource = new ConcurrentHashMap<>();

    public boolean throttled(String source) {
        Window w = bySource.get(source);
        if (w == null) {
            return false;
        }
        synchronized (w) {
            if (System.nanoTime() - w.start > config.auth().failureWindow().toNanos()) {
                bySource.remove(source);
                return false;
            }
            return w.failures >= config.auth().maxFailures();
        }
    }

    public void failed(String source) {
        if (bySource.size() > 100_000) {
            bySource.clear();
        }
        Window w = bySource.computeIfAbsent(source, s -> new Window());
        synchronized (w) {
            if (System.nanoTime() - w.start > config.auth().failureWindow().toNanos()) {
                w.start = System.nanoTime();
                w.failures = 0;
            }
            w.failures++;
        }
    }

    public void succeeded(String source) {
        bySource.remove(source);
    }
}
