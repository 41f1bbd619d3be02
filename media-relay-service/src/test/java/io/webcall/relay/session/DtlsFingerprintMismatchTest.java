package io.webcall.relay.session;

import io.quarkus.test.junit.QuarkusTest;
import io.webcall.relay.control.RelayApi;
import io.webcall.relay.peer.TestPeer;
import io.webcall.relay.stats.RelayMetrics;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** RFC 5763 section 5: a peer whose certificate does not match its SDP fingerprint gets no media. */
@QuarkusTest
class DtlsFingerprintMismatchTest {

    @Inject
    RelayMetrics metrics;

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
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (metrics.fingerprintMismatches() <= before && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertTrue(metrics.fingerprintMismatches() > before, "mismatch counted");
            given().when().get("/v1/sessions/{callId}", callId).then().statusCode(200)
                    .body("failure", containsString("fingerprint mismatch"));
        } finally {
            RelayApi.deleteIfPresent(callId);
        }
    }
}
