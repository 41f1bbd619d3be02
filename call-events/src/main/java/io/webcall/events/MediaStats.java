package io.webcall.events;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * Media quality of a call, published by the media relay on {@link Topics#MEDIA_STATS} with the
 * call id as key: periodically while media flows and once more with {@code final = true} when the
 * relay session is deleted. Figures are cumulative, so a later report ({@link #seq}) supersedes an
 * earlier one.
 *
 * @param eventId        unique id of this report; a redelivery carries the same id
 * @param schemaVersion  contract version, {@link EventJson#SCHEMA_VERSION} when produced by this library
 * @param callId         the platform's call id (same as in {@link CallEvent})
 * @param tenantId       the tenant the call belongs to; null when the relay does not know it
 * @param seq            per-call report number from the relay, starting at 1
 * @param time           when the figures were taken
 * @param finalReport    true for the last report of the call (JSON {@code final})
 * @param callerToCallee audio sent by the caller toward the callee, measured where it enters the relay
 * @param calleeToCaller audio sent by the callee toward the caller, measured where it enters the relay
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record MediaStats(
        UUID eventId,
        int schemaVersion,
        String callId,
        UUID tenantId,
        long seq,
        Instant time,
        @JsonProperty("final") boolean finalReport,
        StreamStats callerToCallee,
        StreamStats calleeToCaller) {

    public MediaStats {
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(callId, "callId");
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
    }

    /** A report with a fresh event id, the current schema version and the current time. */
    public static MediaStats of(String callId, UUID tenantId, long seq, boolean finalReport,
                                StreamStats callerToCallee, StreamStats calleeToCaller) {
        return new MediaStats(UUID.randomUUID(), EventJson.SCHEMA_VERSION, callId, tenantId, seq, Instant.now(),
                finalReport, callerToCallee, calleeToCaller);
    }

    /** Same as {@link #finalReport()}; named for readability at call sites. */
    @JsonIgnore
    public boolean isFinal() {
        return finalReport;
    }
}
