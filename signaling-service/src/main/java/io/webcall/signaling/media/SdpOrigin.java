package io.webcall.signaling.media;

/**
 * The origin line of a session description ({@code o=<username> <sess-id> <sess-version> <nettype> <addrtype>
 * <unicast-address>}, RFC 4566 section 5.2). RFC 3264 section 8: a party that changes its session description
 * increments {@code sess-version}; one that sends it again unchanged keeps the whole origin line. So two session
 * descriptions with the same origin line are one session description sent twice, and a different origin line is a
 * new one.
 */
public final class SdpOrigin {

    private SdpOrigin() {
    }

    /** The value of the o= line (after {@code o=}, white space normalised), or null when there is none. */
    public static String of(String sdp) {
        if (sdp == null) {
            return null;
        }
        int start = sdp.startsWith("o=") ? 0 : sdp.indexOf("\no=");
        if (start < 0) {
            return null;
        }
        start += sdp.startsWith("o=") && start == 0 ? 2 : 3;
        int end = sdp.indexOf('\n', start);
        String line = (end < 0 ? sdp.substring(start) : sdp.substring(start, end)).trim();
        return line.isEmpty() ? null : String.join(" ", line.split("\\s+"));
    }

    /**
     * True when {@code next} repeats {@code previous} (same origin line, RFC 3264 section 8); false when either has no
     * origin line or the origin differs (a new session description).
     */
    public static boolean sameVersion(String previous, String next) {
        String a = of(previous);
        return a != null && a.equals(of(next));
    }
}
