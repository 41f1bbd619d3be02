package io.webcall.relay.sdp;

/**
 * One {@code a=} line (RFC 8866 section 5.13): a property attribute has a null value.
 */
public record Attribute(String name, String value) {

    static Attribute parse(String text) {
        int colon = text.indexOf(':');
        return colon < 0 ? new Attribute(text, null)
                : new Attribute(text.substring(0, colon), text.substring(colon + 1));
    }

    @Override
    public String toString() {
        return value == null ? name : name + ":" + value;
    }
}
