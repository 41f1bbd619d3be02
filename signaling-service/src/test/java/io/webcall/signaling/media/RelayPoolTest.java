package io.webcall.signaling.media;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.webcall.signaling.testsupport.RelayPoolEdgeTestResource;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The edge with several media relays, one of them down and one with room for a single PBX leg: every call's first
 * offer lands on a running relay with room (the down one is skipped after it refused once, a full one answers 503 and
 * the next is tried), calls spread over the running relays, and a call's re-offer and delete reach the relay that
 * holds its session.
 */
@QuarkusTest
@QuarkusTestResource(value = RelayPoolEdgeTestResource.class, restrictToAnnotatedClass = true)
class RelayPoolTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Inject
    RelayClient relay;

    @Inject
    MeterRegistry metrics;

    @Test
    void callsSpreadOverTheRunningRelaysSkipTheDownOneAndStayOnTheirRelay() throws Exception {
        String a = RelayPoolEdgeTestResource.first.url();
        String b = RelayPoolEdgeTestResource.second.url();
        List<String> calls = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            String callId = "pool-" + i + "-" + System.nanoTime();
            String answer = await(relay.offer(callId, offer(), MediaKind.WEBRTC, MediaKind.ECHO, "tag-" + i, false));
            assertTrue(answer.contains("a=fingerprint"), "the relay answered the offer of " + callId);
            calls.add(callId);
        }
        int onA = 0;
        for (String callId : calls) {
            boolean atA = holds(a, callId);
            assertTrue(atA != holds(b, callId), callId + " is held by exactly one relay");
            onA += atA ? 1 : 0;
        }
        assertTrue(onA > 0 && onA < calls.size(), "calls spread over both running relays: " + onA + " of "
                + calls.size() + " on the first");
        assertTrue(metrics.get("webcall_edge_relay_failovers_total").counter().count() >= 1,
                "calls that ranked the down relay first went to the next one");
        assertEquals(2, relay.relaysAvailable(), "the down relay is skipped for new calls");
        assertEquals(calls.size(), relay.callsOnRelays(), "the edge remembers where each call is");

        // a re-offer reaches the relay that holds the call: no second session appears on the other
        for (int i = 0; i < calls.size(); i++) {
            String callId = calls.get(i);
            boolean atA = holds(a, callId);
            await(relay.offer(callId, offer(), MediaKind.WEBRTC, MediaKind.ECHO, "tag-" + i, false));
            assertEquals(atA, holds(a, callId), callId);
            assertEquals(!atA, holds(b, callId), callId + " has no session on the other relay");
        }

        for (String callId : calls) {
            relay.delete(callId);
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        List<String> left = new ArrayList<>(calls);
        while (!left.isEmpty() && System.nanoTime() < deadline) {
            left.removeIf(callId -> !holds(a, callId) && !holds(b, callId));
            Thread.sleep(100);
        }
        assertEquals(List.of(), left, "every delete freed its call on the relay that held it");
        assertEquals(0, relay.callsOnRelays(), "the edge forgot the deleted calls");
    }

    @Test
    void aNewCallThatARelayHasNoRoomForGoesToTheNextOne() throws Exception {
        String a = RelayPoolEdgeTestResource.first.url();
        String b = RelayPoolEdgeTestResource.second.url();
        // browser-to-PBX calls need an RTP port pair; the first relay has one: whatever their ranking, at most one of
        // these calls can be on it and every other one must still get a relay
        List<String> calls = new ArrayList<>();
        try {
            for (int i = 0; i < 12; i++) {
                String callId = "pool-full-" + i + "-" + System.nanoTime();
                String offer = await(relay.offer(callId, offer(), MediaKind.WEBRTC, MediaKind.RTP, "tag-" + i, false));
                assertTrue(offer.contains("RTP/AVP"), "a plain RTP offer toward the PBX for " + callId);
                calls.add(callId);
            }
            long onA = calls.stream().filter(callId -> holds(a, callId)).count();
            long onB = calls.stream().filter(callId -> holds(b, callId)).count();
            assertTrue(onA <= 1, "the full relay holds at most its one call: " + onA);
            assertEquals(calls.size(), onA + onB, "every call got a relay");
        } finally {
            calls.forEach(relay::delete);
        }
    }

    /** Whether the relay at {@code url} holds a session for the call. */
    private static boolean holds(String url, String callId) {
        try {
            int status = HTTP.send(HttpRequest.newBuilder(URI.create(url + "/v1/sessions/" + callId)).GET().build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
            if (status != 200 && status != 404) {
                throw new AssertionError("GET session of " + callId + " at " + url + ": " + status);
            }
            return status == 200;
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static <T> T await(io.vertx.core.Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
    }

    /** A browser's WebRTC offer (Opus, PCMU; ICE, DTLS actpass). */
    private static String offer() {
        return "v=0\r\no=- 4611731400430051336 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n"
                + "a=group:BUNDLE 0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111 0\r\nc=IN IP4 0.0.0.0\r\n"
                + "a=rtcp:9 IN IP4 0.0.0.0\r\n"
                + "a=candidate:1 1 udp 2122260223 127.0.0.1 50999 typ host generation 0\r\n"
                + "a=ice-ufrag:pOoL\r\na=ice-pwd:relaypoolpassword0123456\r\n"
                + "a=fingerprint:sha-256 3A:96:6D:57:B2:C2:C7:61:A0:46:3E:1C:97:39:D3:F7:0A:88:A0:B1:EC:03:FB:10:A5:5D:3E:37:AB:DD:02:AA\r\n"
                + "a=setup:actpass\r\na=mid:0\r\na=sendrecv\r\na=rtcp-mux\r\n"
                + "a=rtpmap:111 opus/48000/2\r\na=rtpmap:0 PCMU/8000\r\n";
    }
}
