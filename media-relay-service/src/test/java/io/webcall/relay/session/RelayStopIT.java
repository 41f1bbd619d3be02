package io.webcall.relay.session;

import io.restassured.RestAssured;
import io.webcall.events.EventJson;
import io.webcall.events.MediaStats;
import io.webcall.events.Topics;
import io.webcall.infra.EmbeddedKafkaBroker;
import io.webcall.relay.peer.EchoCall;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
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

    private static final Path APP = Path.of(System.getProperty("user.dir"), "target/quarkus-app/quarkus-run.jar");

    @Test
    void stoppingTheRelayPublishesTheFinalFiguresOfACallStillRunning() throws Exception {
        assertTrue(Files.exists(APP), APP + " missing: the relay is packaged before integration tests");
        Path log = Files.createTempFile("relay-stop", ".log");
        try (EmbeddedKafkaBroker kafka = EmbeddedKafkaBroker.start()) {
            int httpPort = freeTcpPort();
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
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "--add-opens", "java.base/com.sun.crypto.provider=ALL-UNNAMED",
                "-Dquarkus.http.port=" + httpPort, "-Dwebcall.relay.webrtc.port=" + freeUdpPort(),
                "-Dwebcall.relay.rtp.port-min=" + rtpBase, "-Dwebcall.relay.rtp.port-max=" + (rtpBase + 99),
                "-Dkafka.bootstrap.servers=" + kafka, "-Dquarkus.log.console.json.enabled=false", "-jar", APP.toString()));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the relay exited with " + process.exitValue() + ", see " + log);
            }
            try {
                if (client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/q/health/ready"))
                        .build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return process;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        process.destroyForcibly();
        throw new IllegalStateException("the relay did not get ready, see " + log);
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

    private static int freeTcpPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static int freeUdpPort() throws IOException {
        try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
