package io.webcall.events;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

import java.io.IOException;
import java.io.InputStream;

/**
 * JSON encoding of the event contract (UTF-8, ISO-8601 times, lower-case enum values, absent
 * optional fields omitted). The JSON Schema is the resource {@value #SCHEMA_RESOURCE}.
 * <p>
 * Versioning: fields may be added within a schema version, so decoders ignore unknown fields; a
 * change that removes or redefines a field raises {@link #SCHEMA_VERSION}, and a decoder refuses
 * messages newer than it knows.
 */
public final class EventJson {

    /** The contract version written by this library and the newest one it reads. */
    public static final int SCHEMA_VERSION = 1;

    /** Class-path location of the JSON Schema (draft 2020-12) for both message kinds. */
    public static final String SCHEMA_RESOURCE = "/io/webcall/events/call-events.schema.json";

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .build();

    private EventJson() {
    }

    public static byte[] encode(CallEvent event) {
        return write(event);
    }

    public static byte[] encode(MediaStats stats) {
        return write(stats);
    }

    public static String encodeToString(Object event) {
        try {
            return MAPPER.writeValueAsString(event);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode " + event.getClass().getSimpleName(), e);
        }
    }

    /** Decodes a call event; {@link EventFormatException} (naming the field where possible) when invalid. */
    public static CallEvent decodeCallEvent(byte[] json) {
        CallEvent event = read(json, CallEvent.class);
        checkVersion(event.schemaVersion());
        return event;
    }

    /** Decodes a media-stats report; {@link EventFormatException} when invalid. */
    public static MediaStats decodeMediaStats(byte[] json) {
        MediaStats stats = read(json, MediaStats.class);
        checkVersion(stats.schemaVersion());
        return stats;
    }

    /** The JSON Schema document, for documentation and validation. */
    public static InputStream schema() {
        InputStream in = EventJson.class.getResourceAsStream(SCHEMA_RESOURCE);
        if (in == null) {
            throw new IllegalStateException("missing resource " + SCHEMA_RESOURCE);
        }
        return in;
    }

    /** The mapper used for the contract (shared, thread-safe; do not reconfigure). */
    public static ObjectMapper mapper() {
        return MAPPER;
    }

    private static void checkVersion(int version) {
        if (version > SCHEMA_VERSION) {
            throw new EventFormatException("schemaVersion: " + version + " is newer than supported " + SCHEMA_VERSION);
        }
    }

    private static byte[] write(Object value) {
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode " + value.getClass().getSimpleName(), e);
        }
    }

    private static <T> T read(byte[] json, Class<T> type) {
        if (json == null || json.length == 0) {
            throw new EventFormatException("empty message");
        }
        try {
            return MAPPER.readValue(json, type);
        } catch (ValueInstantiationException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            String message = cause instanceof NullPointerException
                    ? cause.getMessage() + ": required"
                    : cause.getMessage();
            throw new EventFormatException(message, e);
        } catch (com.fasterxml.jackson.databind.JsonMappingException e) {
            String field = e.getPath().isEmpty() ? null : e.getPath().get(e.getPath().size() - 1).getFieldName();
            throw new EventFormatException((field == null ? "" : field + ": ") + e.getOriginalMessage(), e);
        } catch (JsonProcessingException e) {
            throw new EventFormatException("not valid JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new EventFormatException("not readable: " + e.getMessage(), e);
        }
    }
}
