package io.webcall.relay.sdp;

import java.util.Locale;

/**
 * One RTP payload format of an audio section: payload type, encoding name, clock rate, channels and
 * format parameters ({@code a=rtpmap}, {@code a=fmtp}; RFC 8866 section 6.6 and 6.15).
 */
public record Codec(int payloadType, String name, int clockRate, int channels, String fmtp) {

    /** The codecs the relay passes through: Opus, G.711 and RFC 4733 telephone events. */
    public boolean isSupported() {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "opus", "pcmu", "pcma", "telephone-event" -> true;
            default -> false;
        };
    }

    public boolean isTelephoneEvent() {
        return name.equalsIgnoreCase("telephone-event");
    }

    /** Encoding identity independent of the payload type number. */
    public String key() {
        return name.toLowerCase(Locale.ROOT) + "/" + clockRate + "/" + channels;
    }

    public Codec withPayloadType(int pt) {
        return new Codec(pt, name, clockRate, channels, fmtp);
    }

    public Codec withFmtp(String newFmtp) {
        return new Codec(payloadType, name, clockRate, channels, newFmtp);
    }

    public String rtpmap() {
        return payloadType + " " + name + "/" + clockRate + (channels > 1 ? "/" + channels : "");
    }
}
