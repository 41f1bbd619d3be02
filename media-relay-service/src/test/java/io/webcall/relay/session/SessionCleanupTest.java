package io.webcall.relay.session;

import io.quarkus.test.junit.QuarkusTest;
import io.webcall.relay.config.RelayConfig;
import io.webcall.relay.control.RelayApi;
import io.webcall.relay.peer.TestPeer;
import io.webcall.relay.rtp.RtpPortAllocator;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Sessions never leak: deleted or idle sessions give back their ports and ICE agents. */
@QuarkusTest
class SessionCleanupTest {

    @Inject
    SessionRegistry sessions;

    @Inject
    RtpPortAllocator ports;

    @Inject
    SessionReaper reaper;

    @Inject
    RelayConfig config;

    private static String pbxAnswer(int port) {
        return "v=0\r\no=pbx 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
                + "m=audio " + port + " RTP/AVP 0 101\r\na=rtpmap:0 PCMU/8000\r\na=rtpmap:101 telephone-event/8000\r\n";
    }

    @Test
    void manyCallsGiveTheirPortsAndSessionsBackWhenDeleted() throws Exception {
        int basePorts = ports.inUseCount();
        int baseSessions = sessions.sessions().size();
        List<String> callIds = new ArrayList<>();
        try (TestPeer peer = new TestPeer()) {
            for (int i = 0; i < 60; i++) {
                String callId = "many-" + i + "-" + System.nanoTime();
                callIds.add(callId);
                RelayApi.offer(callId, peer.offer("sendrecv"), "webrtc", "rtp");
                RelayApi.answer(callId, pbxAnswer(40000 + 2 * i), "rtp", "webrtc");
            }
            assertEquals(basePorts + 60, ports.inUseCount(), "one RTP port pair per call");
            assertEquals(baseSessions + 60, sessions.sessions().size());
            for (String callId : callIds) {
                RelayApi.delete(callId);
            }
        }
        assertEquals(basePorts, ports.inUseCount(), "ports back to baseline");
        assertEquals(baseSessions, sessions.sessions().size(), "sessions back to baseline");
    }

    @Test
    void aSessionWhoseCallIsGoneIsFreedByTheIdleTimeout() throws Exception {
        String callId = "idle-" + System.nanoTime();
        int basePorts = ports.inUseCount();
        try (TestPeer peer = new TestPeer()) {
            RelayApi.offer(callId, peer.offer("sendrecv"), "webrtc", "rtp");
            assertEquals(basePorts + 1, ports.inUseCount());
            reaper.sweep(System.nanoTime());
            given().when().get("/v1/sessions/{callId}", callId).then().statusCode(200);

            long later = System.nanoTime() + config.timeouts().idleSession().toNanos() + 1_000_000_000L;
            reaper.sweep(later);
            given().when().get("/v1/sessions/{callId}", callId).then().statusCode(404);
            assertEquals(basePorts, ports.inUseCount(), "the idle session's port is free again");
        }
    }

    @Test
    void aRunningCallWithoutMediaRaisesANoMediaEvent() throws Exception {
        String callId = "nomedia-" + System.nanoTime();
        try (TestPeer peer = new TestPeer()) {
            RelayApi.offer(callId, peer.offer("sendrecv"), "webrtc", "rtp");
            RelayApi.answer(callId, pbxAnswer(40100), "rtp", "webrtc");
            given().when().get("/v1/sessions/{callId}", callId).then().statusCode(200)
                    .body("noMedia", org.hamcrest.Matchers.is(false));
            reaper.sweep(System.nanoTime() + config.timeouts().noMedia().toNanos() + 1_000_000_000L);
            given().when().get("/v1/sessions/{callId}", callId).then().statusCode(200)
                    .body("noMedia", org.hamcrest.Matchers.is(true));
            assertTrue(sessions.find(callId).orElseThrow().noMediaReported());
        } finally {
            RelayApi.deleteIfPresent(callId);
        }
    }
}
