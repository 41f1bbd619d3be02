package io.webcall.relay.session;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.webcall.infra.test.KafkaTestResource;
import io.webcall.relay.config.RelayConfig;
import io.webcall.relay.control.RelayApi;
import io.webcall.relay.peer.TestPeer;
import io.webcall.relay.rtp.RtpPortAllocator;
import io.webcall.relay.stats.RelayMetrics;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * RFC 5763 section 5: a peer whose certificate does not match its SDP fingerprint gets no media, and the
 * session's media resources are freed at once (not at DELETE or the idle timeout).
 */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
class DtlsFingerprintMismatchTest {

    @Inject
    RelayMetrics metrics;

    @Inject
    SessionRegistry sessions;

    @Inject
    RtpPortAllocator ports;

    @Inject
    RelayConfig config;

    @Test
    void certificateNotMatchingTheSdpFingerprintFailsTheSessionAndIsCounted() throws Exception {
        String callId = "mismatch-" + System.nanoTime();
        double before = metrics.fingerprintMismatches();
        try (TestPeer peer = new TestPeer()) {
            peer.advertiseWrongFingerprint();
            String answer = RelayApi.offer(callId, peer.offer("sendrecv"), "webrtc", "echo");
            assertThrows(ExecutionException.class, () -> peer.connect(answer).get(15, TimeUnit.SECONDS),
                    "the relay aborts the handshake");
            // the relay sends its alert before it records the failure: wait for the record, bounded
            waitFor(() -> metrics.fingerprintMismatches() > before);
            assertTrue(metrics.fingerprintMismatches() > before, "mismatch counted");
            given().when().get("/v1/sessions/{callId}", callId).then().statusCode(200)
                    .body("failure", containsString("fingerprint mismatch"));
        } finally {
            RelayApi.deleteIfPresent(callId);
        }
    }

    @Test
    void aFingerprintMismatchFreesTheSessionsPortsAndIceAtOnceAndKeepsOnlyAFailureRecord() throws Exception {
        String callId = "mismatch-free-" + System.nanoTime();
        int basePorts = ports.inUseCount();
        // earlier tests' failure records would expire during this one: forget them first, so the gauge starts at 0
        sessions.expireFailed(System.nanoTime() + config.timeouts().failedSessionRetention().toNanos() + 1_000_000_000L);
        assertEquals(0, failedSessionsGauge(), "no failure record kept");
        try (TestPeer peer = new TestPeer();
             KafkaConsumer<String, byte[]> consumer = consumer()) {
            consumer.subscribe(List.of(config.stats().eventsTopic()));
            peer.advertiseWrongFingerprint();
            RelayApi.offer(callId, peer.offer("sendrecv"), "webrtc", "rtp");
            String webrtcAnswer = RelayApi.answer(callId, "v=0\r\no=pbx 1 1 IN IP4 127.0.0.1\r\ns=-\r\n"
                    + "c=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 40300 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n", "rtp", "webrtc");
            MediaSession session = sessions.find(callId).orElseThrow();
            assertEquals(basePorts + 1, ports.inUseCount(), "the call holds an RTP port pair");

            assertThrows(ExecutionException.class, () -> peer.connect(webrtcAnswer).get(15, TimeUnit.SECONDS));
            // the session leaves the table first, then its endpoints close: wait (bounded) for both
            waitFor(() -> sessions.find(callId).isEmpty() && session.closed() && ports.inUseCount() == basePorts);

            assertTrue(sessions.find(callId).isEmpty(), "the failed session is no longer a live session");
            assertTrue(session.closed(), "its endpoints (ICE agent, DTLS, RTP sockets) are closed");
            assertEquals(basePorts, ports.inUseCount(), "its RTP port pair is free again");
            given().when().get("/v1/sessions/{callId}", callId).then().statusCode(200)
                    .body("failure", containsString("fingerprint mismatch"));
            given().contentType("application/json").body(Map.of("sdp", peer.offer("sendrecv"), "from", "webrtc",
                            "to", "rtp"))
                    .when().post("/v1/sessions/{callId}/offer", callId)
                    .then().statusCode(409).body("error", org.hamcrest.Matchers.is("session_failed"));
            assertEquals(1, failedSessionsGauge(), "the failure record shows on /q/metrics");

            String event = null;
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (event == null && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    if (callId.equals(r.key())) {
                        event = new String(r.value(), StandardCharsets.UTF_8);
                    }
                }
            }
            assertNotNull(event, "a failed event for the call on " + config.stats().eventsTopic());
            assertTrue(event.contains("\"type\":\"failed\"") && event.contains("fingerprint mismatch"), event);

            RelayApi.delete(callId);
            given().when().get("/v1/sessions/{callId}", callId).then().statusCode(404);
            assertEquals(0, failedSessionsGauge(), "DELETE removes the failure record");
        } finally {
            RelayApi.deleteIfPresent(callId);
        }
    }

    @Test
    void aFailureRecordIsForgottenAfterItsRetention() throws Exception {
        String callId = "mismatch-expire-" + System.nanoTime();
        try (TestPeer peer = new TestPeer()) {
            peer.advertiseWrongFingerprint();
            String answer = RelayApi.offer(callId, peer.offer("sendrecv"), "webrtc", "echo");
            assertThrows(ExecutionException.class, () -> peer.connect(answer).get(15, TimeUnit.SECONDS));
            waitFor(() -> sessions.find(callId).isEmpty());
            given().when().get("/v1/sessions/{callId}", callId).then().statusCode(200);
            sessions.expireFailed(System.nanoTime() + config.timeouts().failedSessionRetention().toNanos()
                    + 1_000_000_000L);
            given().when().get("/v1/sessions/{callId}", callId).then().statusCode(404);
        } finally {
            RelayApi.deleteIfPresent(callId);
        }
    }

    /** The {@code relay_sessions_failed} gauge as Prometheus reads it from /q/metrics. */
    private static double failedSessionsGauge() {
        String text = given().when().get("/q/metrics").then().statusCode(200).extract().asString();
        return text.lines().filter(l -> l.startsWith("relay_sessions_failed ") || l.startsWith("relay_sessions_failed{"))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).findFirst()
                .orElseThrow(() -> new AssertionError("no relay_sessions_failed on /q/metrics"));
    }

    private static KafkaConsumer<String, byte[]> consumer() {
        return new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaTestResource.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "test-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
                new StringDeserializer(), new ByteArrayDeserializer());
    }

    /** Waits (bounded) for a condition the relay reaches on its own DTLS thread. */
    private static void waitFor(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
    }
}
