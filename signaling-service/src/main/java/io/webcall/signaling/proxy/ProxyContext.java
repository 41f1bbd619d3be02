package io.webcall.signaling.proxy;

import io.webcall.events.HangupSide;
import io.webcall.signaling.dialog.Dialog;
import io.webcall.signaling.logging.CallMdc;
import io.webcall.signaling.media.MediaKind;
import io.webcall.signaling.sip.SipMessage;
import io.webcall.signaling.sip.SipResponses;
import io.webcall.signaling.transaction.ClientTransaction;
import io.webcall.signaling.transaction.ServerTransaction;
import org.jboss.logging.Logger;

import java.util.ArrayList;
import java.util.List;

/**
 * The response context of one proxied request (RFC 3261 section 16.7): its branches (forking, 16.6), the best
 * final response so far (16.7 step 6), CANCEL of the other branches once one answers 2xx (16.7 step 10) or of all
 * of them when the request is cancelled (16.10) or Timer C fires (16.8), and what the outcome means for the call.
 * A branch's retries are left to {@link BranchRetries}; the SDP of the request and of its responses goes through
 * {@link MediaAnchoring}, whose state for this request (the body forwarded, the offerer, the answers) is kept here.
 */
final class ProxyContext implements ClientTransaction.Listener {

    private static final Logger LOG = Logger.getLogger(ProxyContext.class);

    final Proxy proxy;
    final ServerTransaction st;
    final SipMessage original;
    final Dialog dialog;
    final boolean initialInvite;
    /** For in-dialog requests: the request went from the caller to the callee. */
    final boolean towardCallee;
    final MediaKind sourceKind;
    final List<Branch> branches = new ArrayList<>();
    private SipMessage best;
    private boolean answered;
    private boolean cancelled;
    private long timerC = -1;
    /** Body (already rewritten by the relay) to put on every branch. */
    String forwardedBody;
    String forwardedContentType;
    /** From tag of the party whose offer is in this request (for relay answer matching). */
    String offerFromTag;
    MediaKind offerFromKind;
    /** The dialog this edge relays for another edge, when this is its INVITE or BYE (ended by the final response). */
    io.webcall.signaling.dialog.TransitDialog transit;
    /**
     * For a BYE another edge sent because it ended the call it relays (its callee's connection lost, its session timer
     * lapsed): the cause it signed ({@link io.webcall.signaling.dialog.EdgeHangupCause}), recorded as the platform's.
     */
    String edgeCause;
    /** The transit dialog a re-INVITE or UPDATE belongs to: its 2xx is a session refresh (RFC 4028 section 10). */
    io.webcall.signaling.dialog.TransitDialog transitRefresh;
    /** Answers already handed to the relay (in a provisional response or a 2xx), by To tag of the dialog. */
    final java.util.Map<String, MediaAnchoring.EarlyAnswer> earlyAnswers = new java.util.HashMap<>();
    /**
     * The session description each early dialog's UAS sent last in responses to this INVITE (an answer or an offer, as
     * received), by To tag: a later reliable provisional response is a new offer only when its SDP differs.
     */
    final java.util.Map<String, String> uasSdp = new java.util.HashMap<>();

    ProxyContext(Proxy proxy, ServerTransaction st, Dialog dialog, boolean initialInvite, boolean towardCallee, MediaKind sourceKind) {
        this.proxy = proxy;
        this.st = st;
        this.original = st.request();
        this.dialog = dialog;
        this.initialInvite = initialInvite;
        this.towardCallee = towardCallee;
        this.sourceKind = sourceKind;
        st.owner = this;
        if (original.isMethod("INVITE")) {
            st.setCancelHandler(this::cancel);
            timerC = proxy.vertx.setTimer(proxy.config.calls().inviteTimeout().toMillis(), CallMdc.forCall(original.callId(), t -> {
                if (!answered) {
                    cancel();
                }
            }));
        }
    }

    /** Forks the request to every target (parallel search, RFC 3261 section 16.6). */
    void start(List<Target> targets) {
        for (Target t : targets) {
            Branch b = new Branch(t);
            branches.add(b);
        }
        for (Branch b : new ArrayList<>(branches)) {
            send(b, null);
        }
    }

    void send(Branch b, SipMessage retryOf) {
        SipMessage req = retryOf != null ? retryOf : proxy.buildBranchRequest(this, b);
        b.request = req;
        proxy.resolve(b.target).onComplete(CallMdc.wrap(ar -> {
            if (ar.failed() || ar.result() == null || !ar.result().isOpen()) {
                LOG.debugf("No route for branch %s: %s", b.target.requestUri(), ar.failed() ? ar.cause().getMessage() : "flow closed");
                SipMessage unreachable = SipResponses.create(original, ar.failed() ? 503 : 480,
                        ar.failed() ? "Service Unavailable" : "Temporarily Unavailable", st.localTag());
                if (ar.failed()) {
                    // RFC 3261 section 20.43: say why the next hop could not be reached (a refused TLS certificate...)
                    LOG.warnf("Cannot reach %s: %s", b.target.requestUri(), ar.cause().getMessage());
                    unreachable.add("Warning", "399 " + proxy.transports.advertisedHost() + " \""
                            + String.valueOf(ar.cause().getMessage()).replace('"', '\'').replace('\r', ' ').replace('\n', ' ') + "\"");
                }
                branchFinal(b, unreachable);
                return;
            }
            if (cancelled && initialInvite) {
                branchFinal(b, SipResponses.create(original, 487, "Request Terminated", st.localTag()));
                return;
            }
            b.flow = ar.result();
            b.tx = proxy.transactions.send(req, b.flow, this);
            b.tx.owner = b;
        }));
    }

    private Branch branchOf(ClientTransaction tx) {
        return (Branch) tx.owner;
    }

    /**
     * What the dialog adds to the CSeq of this request toward the callee (RFC 3261 section 12.2.1.1: the edge renumbered
     * the INVITE after a 422 or a digest challenge, so the callee counts from there). The initial INVITE's own offset is
     * its branch's, never the dialog's.
     */
    long dialogCseqDelta() {
        return dialog != null && towardCallee && !initialInvite ? dialog.towardCalleeCseqDelta() : 0;
    }

    @Override
    public void onResponse(ClientTransaction tx, SipMessage response) {
        Branch b = branchOf(tx);
        if (b == null) {
            return;
        }
        SipMessage r = response.copy();
        r.removeFirst("Via");
        long delta = b.cseqDelta + dialogCseqDelta();
        if (delta != 0) {
            r.set("CSeq", (r.cseqNumber() - delta) + " " + r.cseqMethod());
        }
        int code = r.status();
        if (code == 100) {
            return;
        }
        if (code < 200) {
            if (initialInvite && dialog != null && r.toTag() != null && dialog.state == Dialog.State.EARLY) {
                dialog.earlyCseqDelta = b.cseqDelta;
            }
            if (b.cancelPending) {
                b.cancelPending = false;
                b.sendCancel(proxy.transactions);
            }
            if (dialog != null && initialInvite) {
                proxy.events.ringing(dialog, code);
            }
            proxy.media.forward(this, b, r);
            return;
        }
        if (code < 300) {
            if (original.isMethod("INVITE")) {
                boolean first = !answered;
                answered = true;
                cancelTimerC();
                if (first) {
                    for (Branch other : branches) {
                        if (other != b && !other.done) {
                            other.cancel(proxy.transactions);
                        }
                    }
                    if (transit != null) {
                        proxy.transit.confirmed(transit, r);
                    }
                    if (initialInvite && dialog != null) {
                        proxy.calls.confirmed(dialog, r, b.target.flowId(), b.flow, b.target.kind(), delta);
                    } else if (dialog != null && !initialInvite) {
                        proxy.calls.refreshed(dialog, r);
                    }
                }
            }
            if (dialog != null && original.isMethod("UPDATE")) {
                proxy.calls.refreshed(dialog, r);
            }
            if (transitRefresh != null) {
                proxy.transit.refreshed(transitRefresh, r);
            }
            b.done = true;
            b.request = null; // a retry (422, digest) is built from it only before the branch's final response
            proxy.media.forward(this, b, r);
            if (transit != null && original.isMethod("BYE")) {
                proxy.transit.remove(transit);
            }
            if (dialog != null && original.isMethod("BYE")) {
                proxy.calls.ended(dialog, 200, edgeCause != null ? edgeCause : "normal", hangupSide());
            }
            return;
        }
        if (code == 422 && original.isMethod("INVITE") && proxy.retries.after422(this, b, response)) {
            return;
        }
        if ((code == 401 || code == 407) && b.target.trunk() != null && b.target.trunk().username() != null
                && !b.authTried && proxy.retries.withCredentials(this, b, response)) {
            return;
        }
        branchFinal(b, r);
    }

    @Override
    public void onTimeout(ClientTransaction tx) {
        Branch b = branchOf(tx);
        if (b != null && !b.done) {
            branchFinal(b, SipResponses.create(original, 408, "Request Timeout", st.localTag()));
        }
    }

    private void branchFinal(Branch b, SipMessage r) {
        if (b.done) {
            return;
        }
        b.done = true;
        b.request = null;
        if (best == null || rank(r.status()) < rank(best.status())) {
            best = r;
        }
        for (Branch x : branches) {
            if (!x.done) {
                return;
            }
        }
        if (answered) {
            return;
        }
        cancelTimerC();
        SipMessage out = best;
        if (out.status() == 503 && !out.headers("Via").isEmpty() && b.tx != null) {
            // RFC 3261 section 16.7 step 6: a 503 from downstream is not passed on as is
            out = SipResponses.create(original, 500, "Server Internal Error", st.localTag());
        }
        st.respond(out);
        if (transit != null) {
            proxy.transit.remove(transit); // the INVITE failed or was cancelled, or the BYE got its answer
        }
        if (dialog != null && initialInvite) {
            proxy.calls.ended(dialog, out.status(), cancelled ? "canceled" : out.reason(),
                    cancelled ? HangupSide.CALLER : (out.status() >= 500 && out.status() != 503 ? HangupSide.SYSTEM : HangupSide.CALLEE));
        }
        if (dialog != null && original.isMethod("BYE")) {
            proxy.calls.ended(dialog, out.status(), edgeCause != null ? edgeCause : "normal", hangupSide());
        }
    }

    /** Who ended the call with this BYE: the party that sent it, or the platform when another edge did (signed). */
    private HangupSide hangupSide() {
        if (edgeCause != null) {
            return HangupSide.SYSTEM;
        }
        return towardCallee ? HangupSide.CALLER : HangupSide.CALLEE;
    }

    /** Lower is better: 6xx first, then 2xx-class order 3xx &lt; 4xx &lt; 5xx (RFC 3261 section 16.7 step 6). */
    private static int rank(int status) {
        if (status >= 600) {
            return 0;
        }
        if (status == 408 || status == 480 || status == 487) {
            return status / 100 * 10 + 5;
        }
        return status / 100 * 10;
    }

    /** CANCEL every pending branch (RFC 3261 section 16.10). */
    void cancel() {
        if (cancelled || answered) {
            return;
        }
        cancelled = true;
        for (Branch b : branches) {
            if (!b.done) {
                b.cancel(proxy.transactions);
            }
        }
    }

    private void cancelTimerC() {
        if (timerC >= 0) {
            proxy.vertx.cancelTimer(timerC);
            timerC = -1;
        }
    }
}
