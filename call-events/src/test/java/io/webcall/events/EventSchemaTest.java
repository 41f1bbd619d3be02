package io.webcall.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.lang.reflect.RecordComponent;
import java.util.Iterator;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The published JSON Schema describes exactly what {@link EventJson} writes. */
class EventSchemaTest {

    static JsonSchema schema;
    static JsonNode schemaTree;

    @BeforeAll
    static void load() throws Exception {
        SchemaValidatorsConfig config = SchemaValidatorsConfig.builder().formatAssertionsEnabled(true).build();
        try (InputStream in = EventJson.schema()) {
            schemaTree = EventJson.mapper().readTree(in);
        }
        schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(schemaTree, config);
    }

    private static Set<ValidationMessage> validate(Object message) throws Exception {
        return schema.validate(EventJson.mapper().readTree(EventJson.encodeToString(message)));
    }

    @Test
    void encodedCallEventsOfEveryTypeAreValid() throws Exception {
        for (CallEventType type : CallEventType.values()) {
            CallEvent e = CallEvent.builder(type, "call-1", EventJsonTest.TENANT, type.ordinal() + 1)
                    .from("sip:alice@demo.localhost").to("sip:bob@demo.localhost").user("alice")
                    .direction(CallDirection.INTERNAL).build();
            assertEquals(Set.of(), validate(e), type.toString());
        }
        assertEquals(Set.of(), validate(EventJsonTest.ended()));
    }

    @Test
    void encodedMediaStatsAreValid() throws Exception {
        MediaStats stats = MediaStats.of("call-1", null, 1, false, new StreamStats(10, 1600, 0, 0.5, null, 4.4), null);
        assertEquals(Set.of(), validate(stats));
    }

    @Test
    void schemaRejectsWhatTheDecoderRejects() throws Exception {
        String bad = EventJson.encodeToString(EventJsonTest.ended()).replace("\"type\":\"ended\"", "\"type\":\"exploded\"");
        assertFalse(schema.validate(EventJson.mapper().readTree(bad)).isEmpty());
        String badUuid = EventJson.encodeToString(EventJsonTest.ended())
                .replace(EventJsonTest.TENANT.toString(), "not-a-uuid");
        assertFalse(schema.validate(EventJson.mapper().readTree(badUuid)).isEmpty());
        String noSeq = EventJson.encodeToString(EventJsonTest.ended()).replace("\"seq\":4,", "");
        assertFalse(schema.validate(EventJson.mapper().readTree(noSeq)).isEmpty());
    }

    @Test
    void schemaPropertiesMatchRecordComponents() {
        assertEquals(jsonNames(CallEvent.class), propertyNames("CallEvent"));
        assertEquals(jsonNames(MediaStats.class), propertyNames("MediaStats"));
        assertEquals(jsonNames(StreamStats.class), propertyNames("StreamStats"));
        assertTrue(schemaTree.at("/$defs/CallEvent/properties/schemaVersion/maximum").asInt() == EventJson.SCHEMA_VERSION);
    }

    private static Set<String> jsonNames(Class<? extends Record> type) {
        Set<String> names = new TreeSet<>();
        for (RecordComponent c : type.getRecordComponents()) {
            com.fasterxml.jackson.annotation.JsonProperty p =
                    c.getAccessor().getAnnotation(com.fasterxml.jackson.annotation.JsonProperty.class);
            if (p == null) {
                p = c.getAnnotation(com.fasterxml.jackson.annotation.JsonProperty.class);
            }
            names.add(p != null ? p.value() : c.getName());
        }
        return names;
    }

    private static Set<String> propertyNames(String def) {
        Set<String> names = new TreeSet<>();
        Iterator<String> it = schemaTree.at("/$defs/" + def + "/properties").fieldNames();
        it.forEachRemaining(names::add);
        return names;
    }
}
