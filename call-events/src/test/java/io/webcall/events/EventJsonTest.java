package io.webcall.events;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EventJsonTest {

    static final UUID TENANT = UUID.fromString("6f1c1f3e-4f0e-4a8e-9a53-0d3c2b1a0e11");

    static CallEvent ended() {
        return CallEvent.builder(CallEventType.ENDED, "a84b4c76e66710@pc33", TENANT, 4)
                .time(Instant.parse("2026-11-24T10:15:30.123Z"))
                .from("sip:alice@demo.localhost").to("sip:+4930123456@demo.localhost").user("alice")
                .direction(CallDirection.OUTBOUND).sipCode(200).cause("normal").hangupBy(HangupSide.CALLEE)
                .build();
    }

    @Test
    void callEventRoundTripsWithLowerCaseEnumsAndIsoTime() throws Exception {
        CallEvent event = ended();
        byte[] json = EventJson.encode(event);
        JsonNode tree = EventJson.mapper().readTree(json);
        assertEquals("ended", tree.get("type").asText());
        assertEquals("outbound", tree.get("direction").asText());
        assertEquals("callee", tree.get("hangupBy").asText());
        assertEquals("2026-11-24T10:15:30.123Z", tree.get("time").asText());
        assertEquals(1, tree.get("schemaVersion").asInt());
        assertEquals(event, EventJson.decodeCallEvent(json));
    }

    @Test
    void absentOptionalFieldsAreOmittedAndDecodeAsNull() {
        CallEvent event = CallEvent.builder(CallEventType.INITIATED, "c1", TENANT, 1).build();
        String json = EventJson.encodeToString(event);
        assertFalse(json.contains("sipCode"), json);
        CallEvent back = EventJson.decodeCallEvent(json.getBytes(StandardCharsets.UTF_8));
        assertEquals(null, back.sipCode());
        assertEquals(null, back.hangupBy());
    }

    @Test
    void mediaStatsRoundTripsWithFinalFlagNamedFinal() throws Exception {
        MediaStats stats = MediaStats.of("c1", TENANT, 3, true,
                new StreamStats(1500, 240_000, 15, 4.5, 32.0, 4.3),
                new StreamStats(1490, 238_400, 0, 2.0, null, null));
        byte[] json = EventJson.encode(stats);
        JsonNode tree = EventJson.mapper().readTree(json);
        assertTrue(tree.get("final").asBoolean());
        assertFalse(tree.has("finalReport"));
        assertFalse(tree.get("calleeToCaller").has("mos"));
        assertEquals(stats, EventJson.decodeMediaStats(json));
        assertEquals(15.0 / 1515, stats.callerToCallee().lossRatio(), 1e-9);
    }

    @Test
    void unknownFieldsAreIgnoredForForwardCompatibility() {
        String json = EventJson.encodeToString(ended()).replace("{", "{\"addedLater\":{\"x\":1},");
        assertEquals(ended().callId(), EventJson.decodeCallEvent(json.getBytes(StandardCharsets.UTF_8)).callId());
    }

    @Test
    void newerSchemaVersionIsRefused() {
        String json = EventJson.encodeToString(ended()).replace("\"schemaVersion\":1", "\"schemaVersion\":2");
        EventFormatException e = assertThrows(EventFormatException.class,
                () -> EventJson.decodeCallEvent(json.getBytes(StandardCharsets.UTF_8)));
        assertTrue(e.getMessage().startsWith("schemaVersion"), e.getMessage());
    }

    @Test
    void missingRequiredFieldIsReportedByName() {
        String json = "{\"eventId\":\"" + UUID.randomUUID() + "\",\"schemaVersion\":1,\"type\":\"ringing\","
                + "\"tenantId\":\"" + TENANT + "\",\"seq\":2,\"time\":\"2026-11-24T10:00:00Z\"}";
        EventFormatException e = assertThrows(EventFormatException.class,
                () -> EventJson.decodeCallEvent(json.getBytes(StandardCharsets.UTF_8)));
        assertTrue(e.getMessage().contains("callId"), e.getMessage());
    }

    @Test
    void unknownEventTypeIsReportedByField() {
        String json = EventJson.encodeToString(ended()).replace("\"type\":\"ended\"", "\"type\":\"exploded\"");
        EventFormatException e = assertThrows(EventFormatException.class,
                () -> EventJson.decodeCallEvent(json.getBytes(StandardCharsets.UTF_8)));
        assertTrue(e.getMessage().startsWith("type"), e.getMessage());
    }

    @Test
    void sequenceBelowOneAndGarbageAreRefused() {
        String zeroSeq = EventJson.encodeToString(ended()).replace("\"seq\":4", "\"seq\":0");
        assertThrows(EventFormatException.class, () -> EventJson.decodeCallEvent(zeroSeq.getBytes(StandardCharsets.UTF_8)));
        assertThrows(EventFormatException.class, () -> EventJson.decodeCallEvent("{not json".getBytes(StandardCharsets.UTF_8)));
        assertThrows(EventFormatException.class, () -> EventJson.decodeCallEvent(new byte[0]));
        assertThrows(EventFormatException.class, () -> EventJson.decodeMediaStats("[]".getBytes(StandardCharsets.UTF_8)));
    }
}
