package io.webcall.events;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * One step in the life of a call, published by the signaling edge on {@link Topics#CALL_EVENTS}
 * with the call id as key. JSON form: see {@code io/webcall/events/call-events.schema.json}.
 * <p>
 * Consumers must be idempotent: the same event may be delivered more than once (same
 * {@link #eventId}) and events of one call may arrive out of order; {@link #seq} orders them.
 *
 * @param eventId       unique id of this event; a redelivery carries the same id
 * @param schemaVersion contract version, {@link EventJson#SCHEMA_VERSION} when produced by this library
 * @param type          what happened
 * @param callId        the platform's call id (the SIP Call-ID of the caller's leg)
 * @param tenantId      the tenant the call belongs to
 * @param seq           per-call sequence number, 1 for the first event of a call, +1 for each next one
 * @param time          when it happened at the producer
 * @param from          calling party as signaled (SIP URI, e.g. {@code sip:alice@demo.localhost})
 * @param to            called party as signaled (SIP URI or number)
 * @param user          the platform user taking part (username, e.g. {@code alice}); null when none
 * @param direction     inbound from the PBX, outbound to the PBX, or internal
 * @param sipCode       final (or, for {@code ringing}, provisional) SIP status code; null when not applicable
 * @param cause         short reason (e.g. {@code normal}, {@code busy}, {@code no-answer}, {@code canceled},
 *                      {@code ws-lost}) or the SIP reason phrase; null when not applicable
 * @param hangupBy      who ended the call; only on {@code ended}
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CallEvent(
        UUID eventId,
        int schemaVersion,
        CallEventType type,
        String callId,
        UUID tenantId,
        long seq,
        Instant time,
        String from,
        String to,
        String user,
        CallDirection direction,
        Integer sipCode,
        String cause,
        HangupSide hangupBy) {

    public CallEvent {
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(callId, "callId");
        Objects.requireNonNull(tenantId, "tenantId");
        Objects.requireNonNull(time, "time");
        if (callId.isBlank()) {
            throw new IllegalArgumentException("callId: must not be blank");
        }
        if (seq < 1) {
            throw new IllegalArgumentException("seq: must be 1 or more, was " + seq);
        }
        if (schemaVersion < 1) {
            throw new IllegalArgumentException("schemaVersion: must be 1 or more, was " + schemaVersion);
        }
        if (sipCode != null && (sipCode < 100 || sipCode > 699)) {
            throw new IllegalArgumentException("sipCode: must be 100..699, was " + sipCode);
        }
    }

    /** A builder with a fresh event id, the current schema version and the current time. */
    public static Builder builder(CallEventType type, String callId, UUID tenantId, long seq) {
        return new Builder(type, callId, tenantId, seq);
    }

    /** Builds {@link CallEvent}s; every optional field starts as null. */
    public static final class Builder {
        private UUID eventId = UUID.randomUUID();
        private final CallEventType type;
        private final String callId;
        private final UUID tenantId;
        private final long seq;
        private Instant time = Instant.now();
        private String from;
        private String to;
        private String user;
        private CallDirection direction;
        private Integer sipCode;
        private String cause;
        private HangupSide hangupBy;

        private Builder(CallEventType type, String callId, UUID tenantId, long seq) {
            this.type = type;
            this.callId = callId;
            this.tenantId = tenantId;
            this.seq = seq;
        }

        public Builder eventId(UUID value) { this.eventId = value; return this; }
        public Builder time(Instant value) { this.time = value; return this; }
        public Builder from(String value) { this.from = value; return this; }
        public Builder to(String value) { this.to = value; return this; }
        public Builder user(String value) { this.user = value; return this; }
        public Builder direction(CallDirection value) { this.direction = value; return this; }
        public Builder sipCode(Integer value) { this.sipCode = value; return this; }
        public Builder cause(String value) { this.cause = value; return this; }
        public Builder hangupBy(HangupSide value) { this.hangupBy = value; return this; }

        public CallEvent build() {
            return new CallEvent(eventId, EventJson.SCHEMA_VERSION, type, callId, tenantId, seq, time,
                    from, to, user, direction, sipCode, cause, hangupBy);
        }
    }
}
