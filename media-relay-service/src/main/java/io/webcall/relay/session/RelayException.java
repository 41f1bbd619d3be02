package io.webcall.relay.session;

/** A control request the relay refuses; becomes the JSON error body {error, message, field}. */
public class RelayException extends RuntimeException {
    private final int status;
    private final String code;
    private final String field;

    public RelayException(int status, String code, String message, String field) {
        super(message);
        this.status = status;
        this.code = code;
        this.field = field;
    }

    public int status() { return status; }
    public String code() { return code; }
    public String field() { return field; }
}
