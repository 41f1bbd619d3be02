package io.webcall.account.call;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** A call record as the API shows it. */
@Schema(name = "CallRecord", description = "One call, built from the call's events and media reports.")
public record CallRecordView(
        @Schema(description = "Record id (stable for the call)") UUID id,
        @Schema(description = "SIP Call-ID of the caller's leg") String callId,
        @Schema(description = "Calling party as signaled") String from,
        @Schema(description = "Called party as signaled") String to,
        @Schema(description = "Platform user taking part, if any") String user,
        @Schema(enumeration = {"inbound", "outbound", "internal"}) String direction,
        @Schema(enumeration = {"ringing", "in-progress", "completed", "busy", "no-answer", "canceled", "failed"}) String status,
        Instant startedAt,
        Instant ringingAt,
        Instant answeredAt,
        Instant endedAt,
        @Schema(description = "Start until answer (or end when unanswered), milliseconds") Long ringDurationMs,
        @Schema(description = "Answer until end, milliseconds; 0 when unanswered") Long talkDurationMs,
        @Schema(description = "Final SIP status code (or the latest one while not ended)") Integer sipCode,
        String cause,
        @Schema(enumeration = {"caller", "callee", "system"}) String hangupBy,
        @Schema(description = "Media quality per direction, when the relay reported it") Quality quality,
        @Schema(description = "Timeline; only in GET /v1/calls/{id}") List<Event> events) {

    /** Media quality summary. */
    @Schema(name = "CallQuality")
    public record Quality(boolean finalReport, Instant reportedAt, Stream callerToCallee, Stream calleeToCaller) {
    }

    /** One media direction. */
    @Schema(name = "CallQualityStream")
    public record Stream(long packets, long bytes, long lost, double lossPercent, double jitterMs, Double rttMs, Double mos) {
    }

    /** One event of the timeline. */
    @Schema(name = "CallTimelineEvent")
    public record Event(UUID eventId, long seq,
                        @Schema(enumeration = {"initiated", "ringing", "answered", "ended"}) String type,
                        Instant time, Integer sipCode, String cause, String hangupBy) {
    }

    static CallRecordView of(CallRecordState s) {
        return new CallRecordView(s.id, s.callId, s.from, s.to, s.user,
                s.direction == null ? null : s.direction.name().toLowerCase(java.util.Locale.ROOT),
                s.status().value(), s.startedAt, s.ringingAt, s.answeredAt, s.endedAt,
                s.ringMillis(), s.talkMillis(), s.sipCode, s.cause,
                s.hangupBy == null ? null : s.hangupBy.name().toLowerCase(java.util.Locale.ROOT),
                null, null);
    }

    CallRecordView withEvents(List<Event> timeline) {
        return new CallRecordView(id, callId, from, to, user, direction, status, startedAt, ringingAt, answeredAt,
                endedAt, ringDurationMs, talkDurationMs, sipCode, cause, hangupBy, quality, timeline);
    }
}
