package io.webcall.signaling.sip;

/**
 * A message that is not valid SIP. When enough of a request could be read to answer it
 * ({@link #partialRequest()} not null), the edge answers with {@link #status()} and the reason text.
 */
public final class SipParseException extends Exception {

    private final int status;
    private final transient SipMessage partialRequest;

    public SipParseException(int status, String reason, SipMessage partialRequest) {
        super(reason);
        this.status = status;
        this.partialRequest = partialRequest;
    }

    /** The error for {@code msg}: a request goes with it so it can be answered, a response is dropped. */
    static SipParseException answering(int status, String reason, SipMessage msg) {
        return new SipParseException(status, reason, msg.isRequest() ? msg : null);
    }

    public int status() {
        return status;
    }

    /** The request as far as it could be read (with Via, From, To, Call-ID, CSeq), or null. */
    public SipMessage partialRequest() {
        return partialRequest;
    }
}
