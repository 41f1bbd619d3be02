package io.webcall.account.call;

import io.webcall.events.CallDirection;
import io.webcall.events.CallEvent;
import io.webcall.events.HangupSide;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

/**
 * A call record while events are folded into it. Folding is order-independent and idempotent: each
 * field is a minimum, a choice by event type, or taken from the lowest sequence number, so any order
 * and any repetition of the same events give the same record.
 */
public final class CallRecordState {

    final UUID id;
    final UUID tenantId;
    final String callId;
    String from;
    String to;
    String user;
    CallDirection direction;
    Instant startedAt;
    Instant ringingAt;
    Instant answeredAt;
    Instant endedAt;
    Integer sipCode;
    String cause;
    HangupSide hangupBy;
    long infoSeq = Long.MAX_VALUE;
    long lastSeq;
    int eventCount;

    public CallRecordState(UUID tenantId, String callId) {
        this(CallRecordIds.of(tenantId, callId), tenantId, callId);
    }

    CallRecordState(UUID id, UUID tenantId, String callId) {
        this.id = id;
        this.tenantId = tenantId;
        this.callId = callId;
    }

    /** Folds one event (of this call) in. Applying an event twice changes nothing except the count. */
    public void apply(CallEvent event) {
        Instant time = micros(event.time());
        eventCount++;
        lastSeq = Math.max(lastSeq, event.seq());
        startedAt = min(startedAt, time);
        if (event.seq() < infoSeq && hasParties(event)) {
            infoSeq = event.seq();
            from = event.from();
            to = event.to();
            user = event.user();
            direction = event.direction();
        }
        switch (event.type()) {
            case INITIATED -> {
                // start time and parties handled above
            }
            case RINGING -> {
                ringingAt = min(ringingAt, time);
                if (endedAt == null && answeredAt == null && event.sipCode() != null) {
                    sipCode = event.sipCode();
                }
            }
            case ANSWERED -> {
                answeredAt = min(answeredAt, time);
                if (endedAt == null) {
                    sipCode = event.sipCode() != null ? event.sipCode() : 200;
                }
            }
            case ENDED -> {
                endedAt = min(endedAt, time);
                sipCode = event.sipCode();
                cause = event.cause();
                hangupBy = event.hangupBy();
            }
        }
    }

    private static boolean hasParties(CallEvent e) {
        return e.from() != null || e.to() != null || e.user() != null || e.direction() != null;
    }

    public UUID id() {
        return id;
    }

    public UUID tenantId() {
        return tenantId;
    }

    public String callId() {
        return callId;
    }

    /** Status from what is known: end, answer, and the final SIP code or cause. */
    public CallStatus status() {
        if (endedAt == null) {
            return answeredAt != null ? CallStatus.IN_PROGRESS : CallStatus.RINGING;
        }
        if (answeredAt != null) {
            return CallStatus.COMPLETED;
        }
        int code = sipCode == null ? 0 : sipCode;
        if (code == 486 || code == 600 || code == 603 || "busy".equals(cause)) {
            return CallStatus.BUSY;
        }
        if (code == 408 || code == 480 || "no-answer".equals(cause)) {
            return CallStatus.NO_ANSWER;
        }
        if (code == 487 || "canceled".equals(cause)) {
            return CallStatus.CANCELED;
        }
        return CallStatus.FAILED;
    }

    /** From start until answer (or until the end when never answered); null while still ringing. */
    public Long ringMillis() {
        Instant until = answeredAt != null ? answeredAt : endedAt;
        return until == null ? null : Math.max(0, Duration.between(startedAt, until).toMillis());
    }

    /** From answer until end; 0 when never answered, null while in progress or ringing. */
    public Long talkMillis() {
        if (endedAt == null) {
            return null;
        }
        return answeredAt == null ? 0L : Math.max(0, Duration.between(answeredAt, endedAt).toMillis());
    }

    static Instant micros(Instant t) {
        return t.truncatedTo(ChronoUnit.MICROS);
    }

    private static Instant min(Instant a, Instant b) {
        return a == null || b.isBefore(a) ? b : a;
    }
}
