package io.webcall.signaling.proxy;

/**
 * The RAck header of a PRACK (RFC 3262 section 7.2: {@code RAck: response-num CSeq-num Method}), which names the
 * reliable provisional response by its RSeq and the INVITE it answered by that INVITE's CSeq.
 */
final class RAck {

    private RAck() {
    }

    /**
     * The RAck with its CSeq number moved by {@code delta}: the edge renumbered the INVITE toward the callee (a 422 or
     * digest retry), so the callee knows the INVITE by the renumbered CSeq. A value that does not parse is returned
     * unchanged (the callee answers it as RFC 3262 section 4 says: 481).
     */
    static String shifted(String value, long delta) {
        String[] parts = value.trim().split("[ \t]+");
        if (parts.length != 3) {
            return value;
        }
        try {
            long cseq = Long.parseLong(parts[1]);
            return parts[0] + " " + (cseq + delta) + " " + parts[2];
        } catch (NumberFormatException e) {
            return value;
        }
    }
}
