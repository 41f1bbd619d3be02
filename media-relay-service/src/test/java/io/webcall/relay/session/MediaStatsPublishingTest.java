package io.webcall.relay.session;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.webcall.events.EventJson;
import io.webcall.events.MediaStats;
import io.webcall.events.Topics;
import io.webcall.infra.test.KafkaTestResource;
import io.webcall.relay.config.RelayConfig;
import io.webcall.relay.peer.EchoCall;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Per-call media figures reach Kafka in the shared contract, and media alarms reach the events topic. */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
class MediaStatsPublishingTest {

    @Inject
    SessionReaper reaper;

    @Inject
    RelayConfig config;

    @Test
    void finalStatsAndNoMediaAlarmArePublishedKeyedByCall() throws Exception {
        String callId;
        try (EchoCall call = EchoCall.open("kafka")) {
            callId = call.callId();
            assertTrue(call.roundTrip(20) >= 19);
            reaper.sweep(System.nanoTime() + config.timeouts().noMedia().toNanos() + 1_000_000_000L);
        }
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaTestResource.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "test-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
                new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(Topics.MEDIA_STATS, config.stats().eventsTopic()));
            MediaStats finalReport = null;
            String alarm = null;
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while ((finalReport == null || alarm == null) && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    if (!callId.equals(r.key())) {
                        continue;
                    }
                    if (r.topic().equals(Topics.MEDIA_STATS)) {
                        MediaStats stats = EventJson.decodeMediaStats(r.value());
                        if (stats.finalReport()) {
                            finalReport = stats;
                        }
                    } else {
                        alarm = new String(r.value(), StandardCharsets.UTF_8);
                    }
                }
            }
            assertNotNull(finalReport, "final media-stats report for the call");
            assertEquals(callId, finalReport.callId());
            assertTrue(finalReport.callerToCallee().packets() >= 19, "caller's packets counted");
            assertTrue(finalReport.calleeToCaller().packets() >= 19, "echoed packets counted");
            assertNotNull(alarm, "no-media alarm for the call");
            assertTrue(alarm.contains("\"type\":\"no-media\""), alarm);
        }
    }
}
