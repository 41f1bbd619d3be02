package io.webcall.relay.control;

/** Error body shared by every service: machine code, human message, offending field or null. */
public record ErrorBody(String error, String message, String field) {
}
