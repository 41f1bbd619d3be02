package io.webcall.signaling.media;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The relay control API's bodies written and read by hand ({@link RelayJson}) mean what Jackson reads and writes. */
class RelayJsonTest {

    private static final ObjectMapper JACKSON = new ObjectMapper();

    private static final String SDP = "v=0\r\no=- 4611731400430051336 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n"
            + "a=group:BUNDLE 0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111 0\r\nc=IN IP4 0.0.0.0\r\n"
            + "a=fingerprint:sha-256 3A:96:6D:57:B2:C2:C7:61:A0:46:3E:1C:97:39:D3:F7:0A:88:A0:B1:EC:03:FB:10:A5:5D:3E:37:AB:DD:02:AA\r\n"
            + "a=msid-semantic: WMS \"quoted\\stream\"\tx\r\n";

    /** A string mixing SDP-like text with quotes, backslashes, every control character and non-ASCII text. */
    private static String randomText(Random rnd) {
        String alphabet = "abc =:/\r\n\t\"\\\u0000\u0001\u001f\u007f\u00e9\u4e2d\ud83d\ude00{}[],";
        StringBuilder sb = new StringBuilder();
        int n = rnd.nextInt(200);
        for (int i = 0; i < n; i++) {
            int pick = rnd.nextInt(alphabet.length() + 32);
            if (pick < alphabet.length()) {
                char c = alphabet.charAt(pick);
                if (Character.isHighSurrogate(c)) {
                    sb.append(c).append(alphabet.charAt(pick + 1));
                } else if (!Character.isLowSurrogate(c)) {
                    sb.append(c);
                }
            } else {
                sb.append((char) (pick - alphabet.length())); // every control character U+0000-U+001F
            }
        }
        return sb.toString();
    }

    @Test
    void offerBodyReadsBackAsTheSameMembersThroughJackson() throws Exception {
        Buffer body = new RelayJson.Body(SDP.length()).str("sdp", SDP).str("from", "webrtc").str("to", "rtp")
                .str("fromTag", "a;b\"c").bool("iceRestart", true).end();
        JsonNode n = JACKSON.readTree(body.getBytes());
        assertEquals(SDP, n.get("sdp").asText());
        assertEquals("webrtc", n.get("from").asText());
        assertEquals("rtp", n.get("to").asText());
        assertEquals("a;b\"c", n.get("fromTag").asText());
        assertTrue(n.get("iceRestart").isBoolean() && n.get("iceRestart").booleanValue());
        assertEquals(5, n.size());
    }

    @Test
    void nullMemberIsWrittenAsJsonNull() throws Exception {
        JsonNode n = JACKSON.readTree(new RelayJson.Body(0).str("sdp", "x").str("toTag", null).end().getBytes());
        assertTrue(n.get("toTag").isNull());
    }

    @Test
    void randomStringsSurviveTheRoundTripBothWays() throws Exception {
        Random rnd = new Random(7);
        for (int i = 0; i < 20_000; i++) {
            String s = randomText(rnd);
            // written by hand, read by Jackson
            JsonNode n = JACKSON.readTree(new RelayJson.Body(s.length()).str("sdp", s).end().getBytes());
            assertEquals(s, n.get("sdp").asText(), "written by hand: " + s);
            // written by Jackson (its own escaping, e.g. \u0001 and members around), read by hand
            ObjectNode o = JACKSON.createObjectNode();
            o.put("first", s).putObject("nested").put("sdp", "not this one");
            o.put("sdp", s).put("last", 3);
            assertEquals(s, RelayJson.stringField(Buffer.buffer(JACKSON.writeValueAsBytes(o)), "sdp"), "written by Jackson: " + s);
        }
    }

    @Test
    void readingSkipsOtherMembersAndNestedValues() {
        Buffer b = Buffer.buffer("{\"legs\":[{\"sdp\":\"inner\"}],\"stats\":{\"sdp\":1},\"sdp\":\"v=0\\r\\n\"}");
        assertEquals("v=0\r\n", RelayJson.stringField(b, "sdp"));
    }

    @Test
    void missingOrNonStringSdpIsNull() {
        assertNull(RelayJson.stringField(Buffer.buffer("{\"error\":\"not_found\",\"message\":\"no session\"}"), "sdp"));
        assertNull(RelayJson.stringField(Buffer.buffer("{\"sdp\":null}"), "sdp"));
        assertNull(RelayJson.stringField(Buffer.buffer("{\"sdp\":{\"v\":0}}"), "sdp"));
    }

    @Test
    void bodiesThatAreNotJsonObjectsAreRefusedWithAReason() {
        for (String bad : new String[] {"", "[\"sdp\"]", "\"sdp\"", "{\"sdp\":", "{\"other\":1", "<html>"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> RelayJson.stringField(Buffer.buffer(bad), "sdp"), bad);
            assertTrue(e.getMessage().contains("JSON"), e.getMessage());
        }
    }
}
