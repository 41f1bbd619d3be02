package io.webcall.signaling.dialog;

import java.util.ArrayList;
import java.util.List;

/**
 * A dialog this edge only relays: another edge owns the call (relay session, session timer, call events) and routed
 * the INVITE here for a user whose connection this edge holds (RFC 3261 section 16 seen from the second record-routing
 * proxy). The edge keeps just enough to end the call itself when that connection is lost: the tags, the caller's
 * Contact and identity, the route set toward the caller (RFC 3261 section 12.1.2: the Record-Route entries beyond its
 * own) and the connection the INVITE came on. Owned by the core event loop.
 */
public final class TransitDialog {

    public enum State { EARLY, CONFIRMED }

    public final String callId;
    /** From tag and From header (without tag) of the INVITE: the caller, behind the owning edge. */
    public final String callerTag;
    public final String callerUri;
    /** Contact of the caller: the Request-URI of a BYE toward it. */
    public final String callerContact;
    /** Connection the INVITE came on (from the owning edge), the first choice to send toward the caller. */
    public final String callerFlowId;
    /** Connection of the callee (a browser WebSocket on this edge); changes when it reconnects. */
    public String calleeFlowId;
    public String calleeTag;
    public String calleeUri;
    /** Route set toward the caller, beyond this edge (Record-Route entries after its own, in order). */
    public List<String> callerRouteSet = new ArrayList<>();
    /** Highest CSeq the callee used in the dialog (its first request from the edge uses the next one). */
    public long calleeCseq;
    /** Highest CSeq the caller used in the dialog (a BYE the edge sends to the callee in its name uses the next one). */
    public long callerCseq;
    /** Contact of the callee from its 2xx: the Request-URI of a BYE toward it. */
    public String calleeContact;
    /** Session interval of the call from the 2xx (RFC 4028 section 4), seconds; 0 when the call has none. */
    public int sessionExpires;
    public State state = State.EARLY;
    public long graceTimer = -1;
    /** Ends the dialog when no session refresh passed within the session interval (RFC 4028 section 10). */
    public long sessionTimer = -1;

    TransitDialog(String callId, String callerTag, String callerUri, String callerContact, String callerFlowId, String calleeFlowId) {
        this.callId = callId;
        this.callerTag = callerTag;
        this.callerUri = callerUri;
        this.callerContact = callerContact;
        this.callerFlowId = callerFlowId;
        this.calleeFlowId = calleeFlowId;
    }

    /** Whether a request with this From tag was sent by the callee. */
    public boolean fromCallee(String fromTag) {
        return fromTag != null && fromTag.equals(calleeTag);
    }

    /** Whether an in-dialog request with these tags belongs to this dialog (either direction). */
    boolean matches(String fromTag, String toTag) {
        if (fromTag == null) {
            return false;
        }
        if (fromTag.equals(callerTag)) {
            return calleeTag == null || calleeTag.equals(toTag);
        }
        return fromTag.equals(calleeTag) && callerTag.equals(toTag);
    }
}
