package io.webcall.signaling.sip;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A SIP request or response (RFC 3261 section 7) held as an ordered, editable list of headers plus a body.
 * Messages are parsed and validated by {@link SipCodec}; this form is what the proxy edits
 * (Via, Route, Record-Route, Max-Forwards, bodies) before it serialises the message again ({@link SipMessageWriter}).
 * Multi-value headers (Via, Route, Record-Route, Contact) are kept one value per entry.
 */
public final class SipMessage {

    /** One header line: name in its canonical long form and the raw value. */
    public static final class Header {
        final String name;
        String value;

        Header(String name, String value) {
            this.name = name;
            this.value = value;
        }

        public String name() {
            return name;
        }

        public String value() {
            return value;
        }
    }

    private final String method;
    private String requestUri;
    private final int status;
    private final String reason;
    private final List<Header> headers = new ArrayList<>();
    private byte[] body = new byte[0];

    private SipMessage(String method, String requestUri, int status, String reason) {
        this.method = method;
        this.requestUri = requestUri;
        this.status = status;
        this.reason = reason;
    }

    public static SipMessage request(String method, String requestUri) {
        return new SipMessage(method, requestUri, 0, null);
    }

    public static SipMessage response(int status, String reason) {
        return new SipMessage(null, null, status, reason);
    }

    public boolean isRequest() {
        return method != null;
    }

    public boolean isResponse() {
        return method == null;
    }

    public String method() {
        return method;
    }

    public boolean isMethod(String m) {
        return m.equals(method);
    }

    public String requestUri() {
        return requestUri;
    }

    public void setRequestUri(String uri) {
        this.requestUri = uri;
    }

    public int status() {
        return status;
    }

    public String reason() {
        return reason;
    }

    public byte[] body() {
        return body;
    }

    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }

    public boolean hasBody() {
        return body.length > 0;
    }

    public void setBody(byte[] body) {
        this.body = body == null ? new byte[0] : body;
    }

    /** Sets a text body and its Content-Type, or removes both when {@code text} is null. */
    public void setBody(String contentType, String text) {
        if (text == null) {
            this.body = new byte[0];
            remove("Content-Type");
        } else {
            this.body = text.getBytes(StandardCharsets.UTF_8);
            set("Content-Type", contentType);
        }
    }

    public List<Header> headers() {
        return headers;
    }

    /** First value of the header, or null. */
    public String header(String name) {
        for (Header h : headers) {
            if (h.name.equalsIgnoreCase(name)) {
                return h.value;
            }
        }
        return null;
    }

    /** Every value of the header, in message order. */
    public List<String> headers(String name) {
        List<String> out = new ArrayList<>(2);
        for (Header h : headers) {
            if (h.name.equalsIgnoreCase(name)) {
                out.add(h.value);
            }
        }
        return out;
    }

    /** Appends a header at the end. */
    public SipMessage add(String name, String value) {
        headers.add(new Header(name, value));
        return this;
    }

    /** Inserts a header value before the first existing value of the same name (or at the top). */
    public SipMessage addFirst(String name, String value) {
        for (int i = 0; i < headers.size(); i++) {
            if (headers.get(i).name.equalsIgnoreCase(name)) {
                headers.add(i, new Header(name, value));
                return this;
            }
        }
        headers.add(0, new Header(name, value));
        return this;
    }

    /** Replaces every value of the header by one value, keeping the position of the first. */
    public SipMessage set(String name, String value) {
        int at = -1;
        for (int i = headers.size() - 1; i >= 0; i--) {
            if (headers.get(i).name.equalsIgnoreCase(name)) {
                headers.remove(i);
                at = i;
            }
        }
        if (at < 0) {
            headers.add(new Header(name, value));
        } else {
            headers.add(at, new Header(name, value));
        }
        return this;
    }

    public SipMessage remove(String name) {
        headers.removeIf(h -> h.name.equalsIgnoreCase(name));
        return this;
    }

    /** Removes and returns the first value of the header, or null. */
    public String removeFirst(String name) {
        for (int i = 0; i < headers.size(); i++) {
            if (headers.get(i).name.equalsIgnoreCase(name)) {
                return headers.remove(i).value;
            }
        }
        return null;
    }

    public String callId() {
        return header("Call-ID");
    }

    public long cseqNumber() {
        String c = header("CSeq");
        int sp = c.indexOf(' ');
        return Long.parseLong(c.substring(0, sp).trim());
    }

    public String cseqMethod() {
        String c = header("CSeq").trim();
        return c.substring(c.lastIndexOf(' ') + 1).trim();
    }

    public String topVia() {
        return header("Via");
    }

    public String topViaBranch() {
        String via = topVia();
        return via == null ? null : SipHeaders.param(via, "branch");
    }

    public String fromTag() {
        return SipHeaders.param(header("From"), "tag");
    }

    public String toTag() {
        String to = header("To");
        return to == null ? null : SipHeaders.param(to, "tag");
    }

    public boolean isProvisional() {
        return status >= 100 && status < 200;
    }

    public boolean isSuccess() {
        return status >= 200 && status < 300;
    }

    public boolean isFinal() {
        return status >= 200;
    }

    /** A deep copy whose headers and body can be edited independently. */
    public SipMessage copy() {
        SipMessage c = new SipMessage(method, requestUri, status, reason);
        for (Header h : headers) {
            c.headers.add(new Header(h.name, h.value));
        }
        c.body = body;
        return c;
    }

    public String startLine() {
        return isRequest() ? method + " " + requestUri + " SIP/2.0" : "SIP/2.0 " + status + " " + reason;
    }

    /** The serialised message as text (SIP over WebSocket text frames, RFC 7118 section 5.2). */
    public String toText() {
        return SipMessageWriter.toText(this);
    }

    /** Serialises the message; Content-Length is always written from the body length. */
    public byte[] toBytes() {
        return SipMessageWriter.toBytes(this);
    }

    @Override
    public String toString() {
        return new String(toBytes(), StandardCharsets.UTF_8);
    }

    /** Short description for logs. */
    public String summary() {
        return (isRequest() ? method + " " + requestUri : status + " " + reason + " (" + cseqMethod() + ")")
                + " call-id=" + callId();
    }
}
