package io.webcall.account.webhook;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;

import java.time.Duration;

/** Webhooks for call status changes: which URLs are accepted and how deliveries are retried. Prefix {@code webcall.webhooks}. */
@ConfigMapping(prefix = "webcall.webhooks")
public interface WebhooksConfig {

    /**
     * Also accept {@code http://127.0.0.1}, {@code http://localhost} and {@code http://[::1]} URLs (any
     * port). For development and tests only: production endpoints must be HTTPS.
     */
    @WithName("allow-http-loopback")
    @WithDefault("false")
    boolean allowHttpLoopback();

    /** Run the delivery dispatcher in this instance (instances share the work safely). */
    @WithName("dispatcher-enabled")
    @WithDefault("true")
    boolean dispatcherEnabled();

    /** Attempts per delivery before it is marked failed. */
    @WithName("max-attempts")
    @WithDefault("10")
    int maxAttempts();

    /** Wait before the second attempt; doubled for each further one (plus up to 10% jitter). */
    @WithName("initial-backoff")
    @WithDefault("10s")
    Duration initialBackoff();

    /** Longest wait between attempts. */
    @WithName("max-backoff")
    @WithDefault("1h")
    Duration maxBackoff();

    /** Time allowed for the endpoint to answer one attempt. */
    @WithName("request-timeout")
    @WithDefault("10s")
    Duration requestTimeout();

    /** How often the dispatcher looks for due deliveries. */
    @WithName("poll-interval")
    @WithDefault("500ms")
    Duration pollInterval();

    /** Deliveries sent concurrently per round. */
    @WithName("batch-size")
    @WithDefault("50")
    int batchSize();

    /** Webhooks one tenant may register. */
    @WithName("max-per-tenant")
    @WithDefault("10")
    int maxPerTenant();
}
