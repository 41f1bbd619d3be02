package io.webcall.account.call;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import io.webcall.account.AccountApi;
import io.webcall.events.CallEvent;
import io.webcall.events.EventJson;
import io.webcall.events.EventPublisher;
import io.webcall.events.EventPublisherConfig;
import io.webcall.events.Topics;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.function.BooleanSupplier;

import static io.webcall.account.AccountApi.as;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Events through a real Kafka broker into records: duplicates, reordering, media reports, bad messages. */
@QuarkusTest
@TestProfile(CallRecordsProfile.class)
class CallIngestTest {

    @Inject
    AgroalDataSource dataSource;

    EventPublisher publisher;
    UUID tenant;
    String key;

    @BeforeEach
    void setUp() {
        publisher = EventPublisher.start(EventPublisherConfig.of(RestartableKafka.bootstrapServers(), "ingest-test"));
        String id = AccountApi.createTenant(AccountApi.uniqueDomain("ingest"));
        tenant = UUID.fromString(id);
        key = AccountApi.createApiKey(id);
    }

    @AfterEach
    void tearDown() {
        publisher.close(Duration.ofSeconds(10));
    }

    @Test
    void duplicatedAndReorderedEventsGiveTheSameRecordsAsTheCleanSequence() throws Exception {
        Instant start = Instant.parse("2026-11-21T12:00:00Z");
        List<CallEvent> all = new ArrayList<>();
        all.addAll(CallScenarios.answered(tenant, "ok-" + tenant, start, "alice", "sip:+4930123@pbx", 95));
        all.addAll(CallScenarios.busy(tenant, "busy-" + tenant, start.plusSeconds(10), "bob", "sip:+4930999@pbx"));
        all.addAll(CallScenarios.canceled(tenant, "cancel-" + tenant, start.plusSeconds(20), "alice", "sip:carol@demo.localhost"));
        all.addAll(CallScenarios.noAnswer(tenant, "noans-" + tenant, start.plusSeconds(30), "carol", "sip:alice@demo.localhost"));
        // every event twice, then everything shuffled: per-call order is lost as after producer retries
        List<CallEvent> messy = new ArrayList<>(all);
        messy.addAll(all);
        Collections.shuffle(messy, new Random(42));
        for (CallEvent e : messy) {
            assertTrue(publisher.publish(e));
        }
        publisher.publish(CallScenarios.media("ok-" + tenant, null, 2, false, 1000, 50, 3.9));
        publisher.publish(CallScenarios.media("ok-" + tenant, null, 5, true, 4750, 10, 4.2));
        publisher.publish(CallScenarios.media("ok-" + tenant, null, 3, false, 2000, 90, 3.1)); // late, older report
        assertTrue(publisher.flush(Duration.ofSeconds(30)));

        awaitRecords(4, 12);
        as(key).queryParam("pageSize", 10).get("/v1/calls").then().statusCode(200)
                .body("calls.callId", contains("noans-" + tenant, "cancel-" + tenant, "busy-" + tenant, "ok-" + tenant))
                .body("calls.status", contains("no-answer", "canceled", "busy", "completed"));
        String okId = CallRecordIds.of(tenant, "ok-" + tenant).toString();
        awaitTrue(() -> as(key).get("/v1/calls/" + okId).then().extract().jsonPath().get("quality.finalReport") != null,
                "media report stored");
        JsonPath ok = as(key).get("/v1/calls/" + okId).then().statusCode(200)
                .body("status", equalTo("completed"))
                .body("talkDurationMs", equalTo(95_000))
                .body("ringDurationMs", equalTo(3_000))
                .body("direction", equalTo("outbound"))
                .body("user", equalTo("alice"))
                .body("events.seq", contains(1, 2, 3, 4))
                .body("quality.finalReport", equalTo(true))
                .body("quality.callerToCallee.packets", equalTo(4750))
                .body("quality.callerToCallee.mos", equalTo(4.2f))
                .extract().jsonPath();
        assertEquals(0.21, ok.getDouble("quality.callerToCallee.lossPercent"), 0.001);
        assertEquals(12, countRows("SELECT count(*) FROM call_event WHERE tenant_id = ?"), "each event stored once");
    }

    @Test
    void invalidMessagesAreKeptAsideAndDoNotStopTheConsumer() throws Exception {
        String marker = "garbage-" + UUID.randomUUID();
        publisher.publish(Topics.CALL_EVENTS, marker, ("{\"not\":\"an event\",\"m\":\"" + marker + "\"}").getBytes(StandardCharsets.UTF_8));
        publisher.publish(Topics.CALL_EVENTS, marker, EventJson.encodeToString(
                        CallScenarios.busy(tenant, "x", Instant.now(), "a", "b").get(0)).replace("\"schemaVersion\":1", "\"schemaVersion\":9")
                .getBytes(StandardCharsets.UTF_8));
        List<CallEvent> good = CallScenarios.busy(tenant, "after-garbage-" + tenant, Instant.now(), "bob", "sip:x@pbx");
        good.forEach(publisher::publish);
        assertTrue(publisher.flush(Duration.ofSeconds(30)));
        awaitRecords(1, 2);
        awaitTrue(() -> {
            try (Connection c = dataSource.getConnection();
                 PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM call_event_rejected WHERE message_key = ?")) {
                ps.setString(1, marker);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getInt(1) == 2;
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, "both bad messages kept in call_event_rejected");
    }

    void awaitRecords(int records, int events) {
        awaitTrue(() -> countRows("SELECT count(*) FROM call_record WHERE tenant_id = ?") == records
                && countRows("SELECT count(*) FROM call_event WHERE tenant_id = ?") == events, records + " records");
    }

    long countRows(String sql) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setObject(1, tenant);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static void awaitTrue(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }
        throw new AssertionError("timed out waiting for: " + what);
    }
}
