package io.webcall.signaling.dialog;

import io.webcall.signaling.media.MediaKind;

import java.util.ArrayList;
import java.util.List;

/**
 * A call the edge proxies (RFC 3261 section 12 seen from a record-routing proxy): both legs' tags, contacts,
 * connections and media kinds, so the edge can route in-dialog requests, anchor re-offers at the relay,
 * end the call itself (grace period, session timer) and report call events. Owned by the core event loop.
 */
public final class Dialog {

    /** One side of the call. */
    public static final class Leg {
        public String tag;
        public String uri;
        public String contact;
        public MediaKind kind;
        /** Connection-oriented flow to reach this side (a browser WebSocket), or null. */
        public String flowId;
        /** Next hop when no flow: host, port, transport token. */
        public String host;
        public int port;
        public String transport;
        /** Route set toward this side, beyond the edge (RFC 3261 section 12.1). */
        public List<String> routeSet = new ArrayList<>();
        /** Highest CSeq this side used in the dialog. */
        public long cseq;
        /** Identity on the edge (sip:user@domain) when this side is a registered user. */
        public String user;
        /**
         * The session description this side sent last in the early dialog (its offer in the INVITE, or its answer in a
         * PRACK), as it sent it: the description it keeps using when it lets a later offer in a reliable provisional
         * response go unanswered (RFC 6337 section 3.1).
         */
        public String sdp;
    }

    public enum State { EARLY, CONFIRMED, TERMINATED }

    public final String callId;
    public final Leg caller = new Leg();
    public final Leg callee = new Leg();
    public final long createdAt = System.currentTimeMillis();
    public State state = State.EARLY;
    public String tenantId;
    /** inbound (PBX to browser), outbound (browser to PBX), internal (browser to browser). */
    public String direction;
    /** Number added to CSeq of caller-to-callee requests after the edge retried an INVITE (RFC 4028 422). */
    public long cseqDelta;
    /**
     * The same offset in the early dialog, before the 2xx: that of the INVITE branch whose provisional response
     * created it, for a PRACK (RFC 3262 section 7.2, whose RAck also names the INVITE's CSeq) or an UPDATE sent then.
     */
    public long earlyCseqDelta;

    /** The CSeq offset of a caller-to-callee request other than the initial INVITE, in the dialog's current state. */
    public long towardCalleeCseqDelta() {
        return state == State.EARLY ? earlyCseqDelta : cseqDelta;
    }
    /** Per-call event sequence number. */
    public int eventSeq;
    public long graceTimer = -1;
    public long sessionTimer = -1;
    public int sessionExpires;
    public long answeredAt;
    public boolean ringingReported;
    public boolean echo;
    /** Cancels the pending INVITE (caller's connection lost before answer). */
    public Runnable cancelAction;
    /**
     * An offer that came in a 2xx (its answer comes in the ACK, RFC 3264 section 5) or in a reliable provisional
     * response (its answer comes in the PRACK, RFC 3262 section 5) to an INVITE without SDP.
     */
    public DelayedOffer delayedOffer;

    /**
     * The offer of a 2xx to an offerless INVITE, already rewritten by the relay (null while the relay works on it).
     *
     * @param offererTag   tag of the side that sent the offer in its 2xx
     * @param offererKind  media kind of that side
     * @param answererKind media kind of the side that answers in the ACK
     * @param rewrittenSdp the offer as forwarded, reused for retransmissions and for a 2xx repeating it
     * @param answered     the answer came (in a PRACK) and went to the relay
     */
    public record DelayedOffer(String offererTag, MediaKind offererKind, MediaKind answererKind, String rewrittenSdp,
                               boolean answered) {

        public DelayedOffer(String offererTag, MediaKind offererKind, MediaKind answererKind, String rewrittenSdp) {
            this(offererTag, offererKind, answererKind, rewrittenSdp, false);
        }

        /** The same offer, its answer received. */
        public DelayedOffer asAnswered() {
            return new DelayedOffer(offererTag, offererKind, answererKind, rewrittenSdp, true);
        }
    }

    public Dialog(String callId) {
        this.callId = callId;
    }

    /** The leg a request with this From tag came from (caller when the tag is the caller's). */
    public boolean fromCaller(String fromTag) {
        return fromTag != null && fromTag.equals(caller.tag);
    }

    public Leg other(Leg leg) {
        return leg == caller ? callee : caller;
    }
}
