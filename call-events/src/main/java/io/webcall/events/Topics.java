package io.webcall.events;

/**
 * Kafka topic names shared by every service. Keys are chosen so that all messages about one call
 * (or one registration binding) land on the same partition and stay in order.
 */
public final class Topics {

    /** {@link CallEvent}s; key = call id. */
    public static final String CALL_EVENTS = "call-events";

    /** {@link MediaStats} reports from the media relay; key = call id. */
    public static final String MEDIA_STATS = "media-stats";

    /**
     * Registration bindings (compacted); key = {@code <aor>|<instance-or-contact>}, value = binding
     * JSON or {@code null} (tombstone) when the binding is removed.
     */
    public static final String SIP_REGISTRATIONS = "sip-registrations";

    private Topics() {
    }
}
