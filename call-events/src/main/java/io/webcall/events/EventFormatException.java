package io.webcall.events;

/** A message that is not a valid event of this contract (bad JSON, missing field, unknown version). */
public class EventFormatException extends RuntimeException {

    public EventFormatException(String message, Throwable cause) {
        super(message, cause);
    }

    public EventFormatException(String message) {
        super(message);
    }
}
