package io.webcall.relay.sdp;

import java.util.Locale;

/** Media direction attribute (RFC 3264 section 5.1, section 8.4 for hold). */
public enum Direction {
    SENDRECV, SENDONLY, RECVONLY, INACTIVE;

    public static Direction of(MediaDescription media) {
        for (Attribute a : media.attributes()) {
            switch (a.name().toLowerCase(Locale.ROOT)) {
                case "sendrecv": return SENDRECV;
                case "sendonly": return SENDONLY;
                case "recvonly": return RECVONLY;
                case "inactive": return INACTIVE;
                default: break;
            }
        }
        return SENDRECV;
    }

    /** Whether the endpoint that wrote this direction sends media. */
    public boolean sends() {
        return this == SENDRECV || this == SENDONLY;
    }

    /** Whether the endpoint that wrote this direction accepts media. */
    public boolean receives() {
        return this == SENDRECV || this == RECVONLY;
    }

    /** The direction an answerer writes when it accepts everything this offer allows (RFC 3264 6.1). */
    public Direction answer() {
        return switch (this) {
            case SENDONLY -> RECVONLY;
            case RECVONLY -> SENDONLY;
            default -> this;
        };
    }

    public String attribute() {
        return name().toLowerCase(Locale.ROOT);
    }
}
