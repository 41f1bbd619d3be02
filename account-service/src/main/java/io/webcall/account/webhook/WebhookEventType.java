package io.webcall.account.webhook;

import io.webcall.events.CallEventType;

import java.util.Arrays;
import java.util.Optional;

/** Call status changes a webhook can subscribe to. */
public enum WebhookEventType {
    INITIATED("call.initiated"),
    RINGING("call.ringing"),
    ANSWERED("call.answered"),
    /** The call ended, answered or not; the record's status says how. */
    COMPLETED("call.completed");

    private final String value;

    WebhookEventType(String value) {
        this.value = value;
    }

    public String value() {
        return value;
    }

    public static WebhookEventType of(CallEventType type) {
        return switch (type) {
            case INITIATED -> INITIATED;
            case RINGING -> RINGING;
            case ANSWERED -> ANSWERED;
            case ENDED -> COMPLETED;
        };
    }

    public static Optional<WebhookEventType> parse(String value) {
        return Arrays.stream(values()).filter(t -> t.value.equals(value)).findFirst();
    }
}
