package io.webcall.relay.control;

import io.webcall.relay.session.RelayException;

/** Error body shared by every service: machine code, human message, offending field or null. */
public record ErrorBody(String error, String message, String field) {

    /** The body of a request the relay refused for a known reason (status {@link RelayException#status()}). */
    static ErrorBody of(RelayException e) {
        return new ErrorBody(e.code(), e.getMessage(), e.field());
    }

    /** The body of a 500: a failure the relay did not expect; the details go to its log, not to the caller. */
    static ErrorBody internal() {
        return new ErrorBody("internal_error", "the relay could not handle the request", null);
    }
}
