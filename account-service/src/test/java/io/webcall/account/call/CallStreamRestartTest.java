package io.webcall.account.call;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.webcall.account.AccountApi;
import io.webcall.account.call.consumer.CallEventConsumer;
import io.webcall.events.CallEvent;
import io.webcall.events.EventPublisher;
import io.webcall.events.EventPublisherConfig;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A stream of calls keeps flowing while the service's consumer is restarted and while the Kafka broker
 * is restarted: afterwards there is exactly one record per call and one timeline row per event.
 */
@QuarkusTest
@TestProfile(CallRecordsProfile.class)
class CallStreamRestartTest {

    static final int CALLS = 600;

    @Inject
    CallEventConsumer consumer;

    @Inject
    AgroalDataSource dataSource;

    @Test
    void recordsEqualCallsAfterConsumerAndBrokerRestartsMidStream() throws Exception {
        UUID tenant = UUID.fromString(AccountApi.createTenant(AccountApi.uniqueDomain("restart")));
        Instant start = Instant.parse("2026-11-22T00:00:00Z");
        CountDownLatch quarter = new CountDownLatch(CALLS / 4);
        CountDownLatch half = new CountDownLatch(CALLS / 2);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        EventPublisher publisher = EventPublisher.start(EventPublisherConfig.of(RestartableKafka.bootstrapServers(), "restart-test"));
        Thread producer = new Thread(() -> {
            try {
                for (int i = 0; i < CALLS; i++) {
                    List<CallEvent> events = new ArrayList<>(CallScenarios.answered(tenant, "r-" + i + "-" + tenant,
                            start.plusMillis(i * 10L), i % 2 == 0 ? "alice" : "bob", "sip:+49301" + i + "@pbx", 30));
                    if (i % 5 == 0) {
                        events.add(events.get(1)); // a redelivered ringing event
                    }
                    for (CallEvent e : events) {
                        if (!publisher.publish(e)) {
                            throw new IllegalStateException("publisher buffer full");
                        }
                    }
                    quarter.countDown();
                    half.countDown();
                    Thread.sleep(8);
                }
            } catch (Throwable t) {
                failure.set(t);
            }
        }, "call-producer");
        producer.start();

        quarter.await();
        consumer.stop();
        Thread.sleep(500);
        consumer.start();

        half.await();
        RestartableKafka.stopBroker();
        Thread.sleep(1500);
        RestartableKafka.startBroker();

        producer.join(120_000);
        if (failure.get() != null) {
            throw new AssertionError("producer failed", failure.get());
        }
        assertTrue(publisher.flush(Duration.ofSeconds(90)), "every event acknowledged by Kafka after the restart");
        publisher.close(Duration.ofSeconds(5));
        assertEquals(0, publisher.stats().dropped());

        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (count("SELECT count(*) FROM call_event WHERE tenant_id = ?", tenant) < CALLS * 4L && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
        assertEquals(CALLS, count("SELECT count(*) FROM call_record WHERE tenant_id = ?", tenant), "one record per call");
        assertEquals(CALLS, count("SELECT count(DISTINCT call_id) FROM call_record WHERE tenant_id = ?", tenant));
        assertEquals(CALLS * 4L, count("SELECT count(*) FROM call_event WHERE tenant_id = ?", tenant), "one row per event");
        assertEquals(CALLS, count("SELECT count(*) FROM call_record WHERE tenant_id = ? AND status = 'completed' "
                + "AND event_count = 4 AND talk_ms = 30000", tenant), "every record complete and counted once");
    }

    long count(String sql, UUID tenant) throws Exception {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setObject(1, tenant);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
