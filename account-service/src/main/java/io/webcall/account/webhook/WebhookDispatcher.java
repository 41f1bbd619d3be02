package io.webcall.account.webhook;

import io.agroal.api.AgroalDataSource;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Sends queued webhook deliveries. Each round claims due deliveries with {@code FOR UPDATE SKIP LOCKED}
 * (pushing their next attempt past the request timeout, so a crashed instance's claims come back),
 * POSTs them concurrently, signed ({@link WebhookSignature}), and records the outcome: 2xx is delivered;
 * anything else (status, timeout, refused connection) is retried with exponential backoff until
 * {@code max-attempts}, then marked failed. Redirects are not followed.
 */
@ApplicationScoped
public class WebhookDispatcher {

    private static final Logger LOG = Logger.getLogger(WebhookDispatcher.class);

    private static final String CLAIM = """
            UPDATE webhook_delivery d SET next_attempt_at = now() + ?::interval
            FROM webhook w
            WHERE d.webhook_id = w.id AND d.id IN (
                SELECT id FROM webhook_delivery
                WHERE status = 'pending' AND next_attempt_at <= now()
                ORDER BY next_attempt_at LIMIT ? FOR UPDATE SKIP LOCKED)
            RETURNING d.id, d.tenant_id, d.event_type, d.payload, d.attempts, w.url
            """;

    private final AgroalDataSource dataSource;
    private final WebhookSecrets secrets;
    private final WebhooksConfig config;
    private final HttpClient http;
    private volatile Thread thread;
    private volatile boolean running;

    public WebhookDispatcher(AgroalDataSource dataSource, WebhookSecrets secrets, WebhooksConfig config) {
        this.dataSource = dataSource;
        this.secrets = secrets;
        this.config = config;
        this.http = HttpClient.newBuilder()
                .connectTimeout(config.requestTimeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    private record Claimed(UUID id, UUID tenantId, String eventType, String payload, int attempts, String url) {
    }

    private record Outcome(Claimed delivery, Integer statusCode, String error) {
        boolean success() {
            return statusCode != null && statusCode >= 200 && statusCode < 300;
        }
    }

    void onStart(@Observes StartupEvent event) {
        if (config.dispatcherEnabled()) {
            start();
        }
    }

    void onStop(@Observes ShutdownEvent event) {
        stop();
    }

    public synchronized void start() {
        if (running) {
            return;
        }
        running = true;
        thread = new Thread(this::run, "webhook-dispatcher");
        thread.setDaemon(true);
        thread.start();
    }

    public synchronized void stop() {
        running = false;
        if (thread != null) {
            thread.interrupt();
            try {
                thread.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void run() {
        while (running) {
            try {
                int sent = round();
                if (sent == 0) {
                    Thread.sleep(config.pollInterval().toMillis());
                }
            } catch (InterruptedException e) {
                return;
            } catch (Exception e) {
                LOG.warnf("webhook round failed: %s", e.toString());
                try {
                    Thread.sleep(config.pollInterval().toMillis());
                } catch (InterruptedException ie) {
                    return;
                }
            }
        }
    }

    /** One round: claim, send, record. Returns how many deliveries were attempted. */
    int round() throws SQLException {
        List<Claimed> claimed = claim();
        if (claimed.isEmpty()) {
            return 0;
        }
        Map<UUID, String> tenantSecrets = new HashMap<>();
        List<CompletableFuture<Outcome>> futures = new ArrayList<>();
        for (Claimed d : claimed) {
            String secret = tenantSecrets.get(d.tenantId());
            if (secret == null) {
                secret = secrets.getOrCreate(d.tenantId());
                tenantSecrets.put(d.tenantId(), secret);
            }
            futures.add(send(d, secret));
        }
        List<Outcome> outcomes = futures.stream().map(CompletableFuture::join).toList();
        record(outcomes);
        return claimed.size();
    }

    private List<Claimed> claim() throws SQLException {
        List<Claimed> out = new ArrayList<>();
        long leaseMillis = config.requestTimeout().toMillis() * 2 + 5_000;
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(CLAIM)) {
            ps.setString(1, leaseMillis + " milliseconds");
            ps.setInt(2, config.batchSize());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Claimed(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class), rs.getString(3),
                            rs.getString(4), rs.getInt(5), rs.getString(6)));
                }
            }
        }
        return out;
    }

    private CompletableFuture<Outcome> send(Claimed d, String secret) {
        byte[] body = d.payload().getBytes(StandardCharsets.UTF_8);
        HttpRequest request;
        try {
            request = HttpRequest.newBuilder(URI.create(d.url()))
                    .timeout(config.requestTimeout())
                    .header("Content-Type", "application/json")
                    .header("User-Agent", "webcall-webhooks/1")
                    .header("Webcall-Delivery", d.id().toString())
                    .header("Webcall-Event", d.eventType())
                    .header(WebhookSignature.HEADER, WebhookSignature.header(secret, Instant.now().getEpochSecond(), body))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                    .build();
        } catch (IllegalArgumentException e) {
            return CompletableFuture.completedFuture(new Outcome(d, null, "invalid url: " + e.getMessage()));
        }
        return http.sendAsync(request, HttpResponse.BodyHandlers.discarding())
                .handle((response, error) -> error == null
                        ? new Outcome(d, response.statusCode(), response.statusCode() / 100 == 2 ? null : "HTTP " + response.statusCode())
                        : new Outcome(d, null, describe(error)));
    }

    private static String describe(Throwable error) {
        Throwable e = error.getCause() != null && error instanceof java.util.concurrent.CompletionException ? error.getCause() : error;
        String text = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
        return text.length() > 500 ? text.substring(0, 500) : text;
    }

    private void record(List<Outcome> outcomes) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("""
                UPDATE webhook_delivery SET status = ?, attempts = attempts + 1, last_attempt_at = now(),
                       last_status_code = ?, last_error = ?, next_attempt_at = ?, delivered_at = ?
                WHERE id = ? AND status = 'pending'""")) {
            for (Outcome o : outcomes) {
                int attempts = o.delivery().attempts() + 1;
                OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
                if (o.success()) {
                    ps.setString(1, "delivered");
                    ps.setObject(4, null);
                    ps.setObject(5, now);
                } else if (attempts >= config.maxAttempts()) {
                    ps.setString(1, "failed");
                    ps.setObject(4, null);
                    ps.setObject(5, null);
                    LOG.infof("webhook delivery %s failed after %d attempts: %s", o.delivery().id(), attempts, o.error());
                } else {
                    ps.setString(1, "pending");
                    ps.setObject(4, now.plus(backoff(attempts)));
                    ps.setObject(5, null);
                }
                if (o.statusCode() == null) {
                    ps.setNull(2, java.sql.Types.INTEGER);
                } else {
                    ps.setInt(2, o.statusCode());
                }
                ps.setString(3, o.error());
                ps.setObject(6, o.delivery().id());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /** Wait after the given number of failed attempts: initial * 2^(n-1), capped, plus up to 10% jitter. */
    Duration backoff(int failedAttempts) {
        long initial = config.initialBackoff().toMillis();
        long max = config.maxBackoff().toMillis();
        long wait = initial;
        for (int i = 1; i < failedAttempts && wait < max; i++) {
            wait *= 2;
        }
        wait = Math.min(wait, max);
        long jitter = wait / 10 == 0 ? 0 : ThreadLocalRandom.current().nextLong(wait / 10 + 1);
        return Duration.ofMillis(wait + jitter);
    }
}
