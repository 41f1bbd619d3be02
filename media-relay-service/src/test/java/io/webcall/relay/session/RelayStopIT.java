package io.webcall.relay.session;

import io.restassured.RestAssured;
import io.webcall.events.EventJson;
import io.webcall.events.MediaStats;
import io.webcall.events.Topics;
import io.webcall.infra.EmbeddedKafkaBroker;
import io.webcall.relay.peer.EchoCall;
import io.webcall.relay.peer.PackagedRelay;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The packaged relay stopped the way Kubernetes and the local stack stop it (SIGTERM) while a call carries media:
 * it frees the session and publishes the call's final media-stats figures before the process exits, so a relay
 * that restarts loses no call's media record.
 */
class RelayStopIT {

    @Test
    void stoppingTheRelayPublishesTheFinalFiguresOfACallStillRunning() throws Exception {
        Path log = Files.createTempFile("relay-stop", ".log");
        try (EmbeddedKafkaBroker kafka = EmbeddedKafkaBroker.start()) {
            int httpPort = PackagedRelay.freeTcpPort();
            Process relay = start(kafka.bootstrapServers(), httpPort, log);
            String callId;
            int previousPort = RestAssured.port;
            try {
                RestAssured.port = httpPort;
                EchoCall call = EchoCall.open("stop");
                callId = call.callId();
                try {
                    assertTrue(call.roundTrip(20) >= 19, "media through the relay before it stops");
                    relay.destroy();
                    assertTrue(relay.waitFor(30, TimeUnit.SECONDS), "the relay exits after SIGTERM, see " + log);
                } finally {
                    call.peer().close();
                }
            } finally {
                RestAssured.port = previousPort;
                if (relay.isAlive()) {
                    relay.destroyForcibly();
                }
            }
            assertFalse(relay.isAlive());

            MediaStats finalReport = finalReport(kafka.bootstrapServers(), callId);
            assertNotNull(finalReport, "final media-stats report of the call published before exit, see " + log);
            assertEquals(callId, finalReport.callId());
            assertTrue(finalReport.callerToCallee().packets() >= 19, "the caller's packets counted");
            assertTrue(finalReport.calleeToCaller().packets() >= 19, "the echoed packets counted");
        }
        // kept when the test fails: its messages point at it
        Files.deleteIfExists(log);
    }

    private static Process start(String kafka, int httpPort, Path log) throws Exception {
        int rtpBase = 30000 + 2 * ThreadLocalRandom.current().nextInt(5000);
        return PackagedRelay.start(PackagedRelay.JAR, List.of("-Xmx256m",
                "-Dwebcall.relay.webrtc.port=" + PackagedRelay.freeUdpPort(),
                "-Dwebcall.relay.rtp.port-min=" + rtpBase, "-Dwebcall.relay.rtp.port-max=" + (rtpBase + 99),
                "-Dkafka.bootstrap.servers=" + kafka, "-Dquarkus.log.console.json.enabled=false"), httpPort, log);
    }

    private static MediaStats finalReport(String bootstrapServers, String callId) {
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.GROUP_ID_CONFIG, "test-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
                new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(Topics.MEDIA_STATS));
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    if (callId.equals(r.key())) {
                        MediaStats stats = EventJson.decodeMediaStats(r.value());
                        if (stats.finalReport()) {
                            return stats;
                        }
                    }
                }
            }
            return null;
        }
    }
}
