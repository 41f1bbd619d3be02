package io.webcall.relay.control;

import io.restassured.http.ContentType;

import java.util.HashMap;
import java.util.Map;

import static io.restassured.RestAssured.given;

/** Calls the relay control API the way the signaling edge does. */
public final class RelayApi {

    private RelayApi() {
    }

    public static String offer(String callId, String sdp, String from, String to, String fromTag, boolean iceRestart) {
        Map<String, Object> body = new HashMap<>();
        body.put("sdp", sdp);
        body.put("from", from);
        body.put("to", to);
        body.put("fromTag", fromTag);
        body.put("iceRestart", iceRestart);
        return given().contentType(ContentType.JSON).body(body)
                .when().post("/v1/sessions/{callId}/offer", callId)
                .then().statusCode(200).extract().path("sdp");
    }

    public static String offer(String callId, String sdp, String from, String to) {
        return offer(callId, sdp, from, to, "tag-a", false);
    }

    public static String answer(String callId, String sdp, String from, String to) {
        Map<String, Object> body = new HashMap<>();
        body.put("sdp", sdp);
        body.put("from", from);
        body.put("to", to);
        body.put("fromTag", "tag-a");
        body.put("toTag", "tag-b");
        return given().contentType(ContentType.JSON).body(body)
                .when().post("/v1/sessions/{callId}/answer", callId)
                .then().statusCode(200).extract().path("sdp");
    }

    public static void delete(String callId) {
        given().when().delete("/v1/sessions/{callId}", callId).then().statusCode(204);
    }

    /** Frees a session in test cleanup whether or not the test got as far as creating it. */
    public static void deleteIfPresent(String callId) {
        given().when().delete("/v1/sessions/{callId}", callId);
    }
}
