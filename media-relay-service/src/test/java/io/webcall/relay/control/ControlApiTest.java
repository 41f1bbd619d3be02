package io.webcall.relay.control;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.webcall.relay.peer.TestPeer;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

/** Bad control requests get a 4xx with the JSON error body naming what is wrong. */
@QuarkusTest
class ControlApiTest {

    private static final String PBX_SDP = "v=0\r\no=pbx 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
            + "m=audio 40000 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n";

    @Test
    void malformedJsonIsA400WithAnErrorBody() {
        given().contentType(ContentType.JSON).body("{not json").when().post("/v1/sessions/c1/offer")
                .then().statusCode(400).body("error", equalTo("invalid_body")).body("message", containsString("JSON"));
    }

    @Test
    void missingOrUnknownFieldsAreNamed() {
        given().contentType(ContentType.JSON).body(Map.of("from", "rtp", "to", "webrtc"))
                .when().post("/v1/sessions/c2/offer")
                .then().statusCode(400).body("error", equalTo("invalid_sdp")).body("field", equalTo("sdp"));
        given().contentType(ContentType.JSON).body(Map.of("sdp", PBX_SDP, "from", "sip", "to", "webrtc"))
                .when().post("/v1/sessions/c3/offer")
                .then().statusCode(400).body("error", equalTo("invalid_field")).body("field", equalTo("from"));
        given().contentType(ContentType.JSON).body(Map.of("sdp", PBX_SDP, "from", "rtp"))
                .when().post("/v1/sessions/c4/offer")
                .then().statusCode(400).body("field", equalTo("to"));
    }

    @Test
    void garbageSdpIsRejectedAndCreatesNoSession() {
        given().contentType(ContentType.JSON).body(Map.of("sdp", "hello", "from", "rtp", "to", "webrtc"))
                .when().post("/v1/sessions/c5/offer")
                .then().statusCode(400).body("error", equalTo("invalid_sdp")).body("message", containsString("v=0"));
        given().when().get("/v1/sessions/c5").then().statusCode(404).body("error", equalTo("not_found"));
    }

    @Test
    void anOfferWithoutAPassableCodecIsRejected() {
        String g729 = PBX_SDP.replace("RTP/AVP 0", "RTP/AVP 18").replace("0 PCMU/8000", "18 G729/8000");
        given().contentType(ContentType.JSON).body(Map.of("sdp", g729, "from", "rtp", "to", "webrtc"))
                .when().post("/v1/sessions/c6/offer")
                .then().statusCode(400).body("error", equalTo("no_common_codec"));
    }

    @Test
    void aPlainRtpSdpOnTheWebRtcSideIsRejected() {
        given().contentType(ContentType.JSON).body(Map.of("sdp", PBX_SDP, "from", "webrtc", "to", "rtp"))
                .when().post("/v1/sessions/c7/offer")
                .then().statusCode(400).body("error", equalTo("invalid_sdp")).body("message", containsString("UDP/TLS"));
    }

    @Test
    void unknownCallsAre404() {
        given().when().delete("/v1/sessions/nope").then().statusCode(404).body("error", equalTo("not_found"));
        given().when().get("/v1/sessions/nope").then().statusCode(404);
        given().contentType(ContentType.JSON).body(Map.of("sdp", PBX_SDP, "from", "rtp", "to", "webrtc"))
                .when().post("/v1/sessions/nope/answer").then().statusCode(404).body("field", nullValue());
    }

    @Test
    void anAnswerWithoutAnOfferWaitingIsAConflict() throws Exception {
        String callId = "conflict-" + System.nanoTime();
        try (TestPeer peer = new TestPeer()) {
            RelayApi.offer(callId, peer.offer("sendrecv"), "webrtc", "echo");
            given().contentType(ContentType.JSON).body(Map.of("sdp", PBX_SDP, "from", "rtp", "to", "webrtc"))
                    .when().post("/v1/sessions/{callId}/answer", callId)
                    .then().statusCode(409).body("error", equalTo("no_offer"));
        } finally {
            RelayApi.deleteIfPresent(callId);
        }
    }
}
