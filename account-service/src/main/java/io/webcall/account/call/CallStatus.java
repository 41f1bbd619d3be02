package io.webcall.account.call;

import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Arrays;
import java.util.Optional;

/** Status of a call record, as shown by the API and stored in {@code call_record.status}. */
public enum CallStatus {
    /** Set up but not answered yet (from {@code initiated} until answer or end). */
    RINGING("ringing"),
    /** Answered and not ended yet. */
    IN_PROGRESS("in-progress"),
    /** Answered and ended normally. */
    COMPLETED("completed"),
    /** Not answered: the callee was busy (486, 600, 603). */
    BUSY("busy"),
    /** Not answered in time (408, 480). */
    NO_ANSWER("no-answer"),
    /** The caller gave up before an answer (CANCEL, 487). */
    CANCELED("canceled"),
    /** Not answered for any other reason. */
    FAILED("failed");

    private final String value;

    CallStatus(String value) {
        this.value = value;
    }

    @JsonValue
    public String value() {
        return value;
    }

    public boolean isFinal() {
        return this != RINGING && this != IN_PROGRESS;
    }

    public static Optional<CallStatus> parse(String value) {
        return Arrays.stream(values()).filter(s -> s.value.equals(value)).findFirst();
    }
}
