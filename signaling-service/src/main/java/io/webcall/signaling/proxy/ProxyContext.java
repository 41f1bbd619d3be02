package io.webcall.signaling.proxy;

import io.vertx.core.Future;
import io.webcall.events.HangupSide;
import io.webcall.signaling.auth.ClientDigest;
import io.webcall.signaling.dialog.Dialog;
import io.webcall.signaling.logging.CallMdc;
import io.webcall.signaling.media.MediaKind;
import io.webcall.signaling.sip.SipHeaders;
import io.webcall.signaling.sip.SipMessage;
import io.webcall.signaling.sip.SipResponses;
import io.webcall.signaling.transaction.ClientTransaction;
import io.webcall.signaling.transaction.ServerTransaction;
import io.webcall.signaling.transport.Flow;
import org.jboss.logging.Logger;

import java.util.ArrayList;
import java.util.List;

/**
 * The response context of one proxied request (RFC 3261 section 16.7): its branches (forking, 16.6), the best
 * final response so far (16.7 step 6), CANCEL of the other branches once one answers 2xx (16.7 step 10),
 * retries after {@code 422 Session Interval Too Small} with the downstream Min-SE (RFC 4028 section 6) and after
 * digest challenges from a PBX trunk, and SDP rewriting of provisional/final answers through the relay.
 */
final class ProxyContext implements ClientTransaction.Listener {

    private static final Logger LOG = Logger.getLogger(ProxyContext.class);

    /** One forwarded copy of the request. */
    static final class Branch {
        final Target target;
        SipMessage request;
        ClientTransaction tx;
        Flow flow;
        boolean done;
        boolean cancelPending;
        int retries422;
        boolean authTried;
        /** CSeq offset of this branch against the upstream request (422 and digest retries add one each). */
        long cseqDelta;

        Branch(Target target) {
            this.target = target;
        }
    }

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
    private final java.util.Map<String, EarlyAnswer> earlyAnswers = new java.util.HashMap<>();
    /**
     * The session description each early dialog's UAS sent last in responses to this INVITE (an answer or an offer, as
     * received), by To tag: a later reliable provisional response is a new offer only when its SDP differs.
     */
    private final java.util.Map<String, String> uasSdp = new java.util.HashMap<>();

    /**
     * An SDP answer from a 18x or 2xx as received, and its rewrite by the relay (reused for the 2xx repeating a 18x's
     * answer and for 2xx retransmissions, RFC 3261 section 13.3.1.4, which the relay would refuse as a second answer).
     */
    private record EarlyAnswer(String sdp, Future<String> rewritten) {
    }

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

    private void send(Branch b, SipMessage retryOf) {
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
                sendCancel(b);
            }
            if (dialog != null && initialInvite) {
                proxy.events.ringing(dialog, code);
            }
            forwardWithMedia(b, r);
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
                            cancelBranch(other);
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
            forwardWithMedia(b, r);
            if (transit != null && original.isMethod("BYE")) {
                proxy.transit.remove(transit);
            }
            if (dialog != null && original.isMethod("BYE")) {
                proxy.calls.ended(dialog, 200, edgeCause != null ? edgeCause : "normal", hangupSide());
            }
            return;
        }
        if (code == 422 && original.isMethod("INVITE") && retry422(b, response)) {
            return;
        }
        if ((code == 401 || code == 407) && b.target.trunk() != null && b.target.trunk().username() != null
                && !b.authTried && retryWithCredentials(b, response)) {
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

    /** RFC 4028 section 6: a UAS or proxy answered 422; retry with its Min-SE instead of failing the call. */
    private boolean retry422(Branch b, SipMessage response) {
        String minSe = response.header("Min-SE");
        if (minSe == null || b.retries422 >= proxy.config.calls().max422Retries()) {
            return false;
        }
        int value;
        try {
            value = Integer.parseInt(minSe.split(";")[0].trim());
        } catch (NumberFormatException e) {
            return false;
        }
        b.retries422++;
        SipMessage retry = nextAttempt(b);
        String se = retry.header("Session-Expires");
        int current = 0;
        if (se != null) {
            try {
                current = Integer.parseInt(se.split(";")[0].trim());
            } catch (NumberFormatException ignored) {
                // replaced below
            }
        }
        String refresher = se == null ? null : SipHeaders.param("x" + se.substring(se.indexOf(';') < 0 ? se.length() : se.indexOf(';')), "refresher");
        retry.set("Session-Expires", Math.max(value, current) + (refresher == null ? "" : ";refresher=" + refresher));
        retry.set("Min-SE", String.valueOf(value));
        LOG.infof("Retrying INVITE toward %s with Session-Expires %d after 422 (RFC 4028)", b.target.requestUri(), Math.max(value, current));
        proxy.metrics.counter("webcall_edge_session_timer_retries_total").increment();
        send(b, retry);
        return true;
    }

    /** Answers a PBX digest challenge with the trunk's credentials (RFC 3261 section 22.2). */
    private boolean retryWithCredentials(Branch b, SipMessage response) {
        boolean proxyAuth = response.status() == 407;
        String challenge = response.header(proxyAuth ? "Proxy-Authenticate" : "WWW-Authenticate");
        if (challenge == null) {
            return false;
        }
        SipMessage retry = nextAttempt(b);
        String answer = ClientDigest.answer(challenge, retry.method(), retry.requestUri(), b.target.trunk().username(),
                b.target.trunk().password());
        if (answer == null) {
            return false;
        }
        b.authTried = true;
        retry.remove("Authorization");
        retry.remove("Proxy-Authorization");
        retry.add(proxyAuth ? "Proxy-Authorization" : "Authorization", answer);
        send(b, retry);
        return true;
    }

    /** The same request with a new branch and the next CSeq number (a new transaction toward the same target). */
    private SipMessage nextAttempt(Branch b) {
        SipMessage retry = b.request.copy();
        retry.removeFirst("Via");
        retry.addFirst("Via", proxy.via(b.target.transport()));
        b.cseqDelta++;
        retry.set("CSeq", (retry.cseqNumber() + 1) + " " + retry.cseqMethod());
        return retry;
    }

    private void forwardWithMedia(Branch b, SipMessage r) {
        if (r.hasBody() && isSdp(r) && original.isMethod("INVITE") || r.hasBody() && isSdp(r) && original.isMethod("UPDATE")) {
            if (laterOffer(b, r)) {
                return;
            }
            if (offerFromTag == null) {
                if ((r.isSuccess() || reliableProvisional(r)) && original.isMethod("INVITE") && dialog != null
                        && proxy.relay.anchoring()) {
                    offerInAnswer(b, r);
                } else {
                    st.respond(r);
                }
                return;
            }
            EarlyAnswer early = earlyAnswers.get(r.toTag());
            if (early != null) {
                // RFC 3261 section 13.2.1 / RFC 3262: the answer already came in a provisional response of this
                // dialog or in a 2xx; later copies (the 2xx, retransmitted 18x or 2xx) carry the same SDP and get the
                // same rewrite
                if (!early.sdp.equals(r.bodyText())) {
                    LOG.warnf("%s: SDP in %d differs from the answer in the earlier provisional response; keeping that answer",
                            dialogCallId(), r.status());
                }
                early.rewritten.onComplete(CallMdc.wrap(ar -> {
                    if (ar.succeeded()) {
                        r.setBody("application/sdp", ar.result());
                        st.respond(r);
                    } else if (r.isSuccess()) {
                        relayFailure();
                    }
                }));
                return;
            }
            MediaKind answererKind = b.target.kind();
            String answer = r.bodyText();
            String toTag = r.toTag();
            Future<String> rewritten = proxy.relay.answer(dialogCallId(), answer, answererKind, offerFromKind, offerFromTag, toTag);
            if (toTag != null) {
                earlyAnswers.put(toTag, new EarlyAnswer(answer, rewritten));
                uasSdp.put(toTag, answer);
            }
            rewritten.onComplete(CallMdc.wrap(ar -> {
                if (ar.succeeded()) {
                    r.setBody("application/sdp", ar.result());
                    st.respond(r);
                } else {
                    LOG.warnf("Relay rejected the answer of %s: %s", dialogCallId(), ar.cause().getMessage());
                    if (r.isSuccess()) {
                        // the callee answered with media the relay cannot bridge: the caller gets an error
                        relayFailure();
                    }
                }
            }));
            return;
        }
        st.respond(r);
    }

    /** A reliable provisional response (RFC 3262 section 3: Require: 100rel and an RSeq). */
    private static boolean reliableProvisional(SipMessage r) {
        if (r.status() <= 100 || r.status() >= 200 || r.header("RSeq") == null) {
            return false;
        }
        for (String require : r.headers("Require")) {
            for (String tag : require.split(",")) {
                if (tag.trim().equalsIgnoreCase("100rel")) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * Delayed offer (RFC 3261 section 13.2.1, RFC 3264 section 5): the INVITE had no SDP, so this 2xx, or a reliable
     * provisional response before it (RFC 3262 section 5), carries the offer. It goes through the relay like any
     * offer; the answer comes in the ACK or the PRACK, which the edge hands to the relay as well. Retransmissions,
     * and a 2xx repeating the offer of a reliable 18x, get the same rewritten offer.
     */
    private void offerInAnswer(Branch b, SipMessage r) {
        Dialog.DelayedOffer pending = dialog.delayedOffer;
        if (pending != null && pending.offererTag().equals(r.toTag())) {
            if (pending.rewrittenSdp() != null) {
                r.setBody("application/sdp", pending.rewrittenSdp());
                st.respond(r);
            }
            return; // otherwise the relay is still rewriting the first copy
        }
        MediaKind offererKind = b.target.kind();
        MediaKind answererKind = sourceKind;
        dialog.delayedOffer = new Dialog.DelayedOffer(r.toTag(), offererKind, answererKind, null);
        if (r.toTag() != null) {
            uasSdp.put(r.toTag(), r.bodyText());
        }
        proxy.relay.offer(dialogCallId(), r.bodyText(), offererKind, answererKind, r.toTag(), false).onComplete(CallMdc.wrap(ar -> {
            if (ar.failed()) {
                LOG.warnf("Relay rejected the offer in the 2xx of %s: %s", dialogCallId(), ar.cause().getMessage());
                dialog.delayedOffer = null;
                relayFailure();
                return;
            }
            dialog.delayedOffer = new Dialog.DelayedOffer(r.toTag(), offererKind, answererKind, ar.result());
            r.setBody("application/sdp", ar.result());
            st.respond(r);
        }));
    }

    /**
     * A reliable provisional response (RFC 3262 section 5) whose session description differs from the one the same UAS
     * sent earlier in this early dialog (another origin line, RFC 3264 section 8), after that offer/answer exchange
     * completed: the UAS makes a new offer (RFC 6337 section 2.1, pattern 4: offer in a 1xx-rel, answer in its PRACK).
     * It goes to the relay's offer API from the UAS's side toward the UAC's, and the UAC gets the relay's rewrite; the
     * answer in the PRACK goes to the relay's answer API (see {@code EdgeCore}). A repeat with the same origin line is
     * not a new offer and keeps the earlier rewrite; so do a changed SDP in an unreliable 18x or in the 2xx, which
     * cannot carry an offer once the exchange is complete (RFC 3261 section 13.2.1, RFC 6337 section 3.1).
     *
     * @return true when the response was taken as a new offer (it is forwarded once the relay has rewritten it)
     */
    private boolean laterOffer(Branch b, SipMessage r) {
        String tag = r.toTag();
        if (!initialInvite || dialog == null || tag == null || !proxy.relay.anchoring() || !reliableProvisional(r)) {
            return false;
        }
        String previous = uasSdp.get(tag);
        if (previous == null || io.webcall.signaling.media.SdpOrigin.sameVersion(previous, r.bodyText())) {
            return false;
        }
        Dialog.DelayedOffer pending = dialog.delayedOffer;
        if (pending != null && tag.equals(pending.offererTag()) && !pending.answered()) {
            return false; // the UAS's earlier offer is not answered yet (RFC 3262 section 3: one unacknowledged 1xx-rel)
        }
        MediaKind offererKind = b.target.kind();
        MediaKind answererKind = sourceKind;
        uasSdp.put(tag, r.bodyText());
        dialog.delayedOffer = new Dialog.DelayedOffer(tag, offererKind, answererKind, null);
        Future<String> rewritten = proxy.relay.offer(dialogCallId(), r.bodyText(), offererKind, answererKind, tag, false);
        // copies of this response (retransmissions, a 2xx repeating it) reuse the rewrite, in either flow
        earlyAnswers.put(tag, new EarlyAnswer(r.bodyText(), rewritten));
        LOG.infof("%s: new offer in reliable %d of the early dialog (%s)", dialogCallId(), r.status(),
                io.webcall.signaling.media.SdpOrigin.of(r.bodyText()));
        rewritten.onComplete(CallMdc.wrap(ar -> {
            if (ar.failed()) {
                LOG.warnf("Relay rejected the new offer in the %d of %s: %s", r.status(), dialogCallId(), ar.cause().getMessage());
                dialog.delayedOffer = pending;
                relayFailure();
                return;
            }
            dialog.delayedOffer = new Dialog.DelayedOffer(tag, offererKind, answererKind, ar.result());
            r.setBody("application/sdp", ar.result());
            st.respond(r);
        }));
        return true;
    }

    private void relayFailure() {
        if (!st.finalSent()) {
            st.respond(SipResponses.create(original, 500, "Media Relay Failure", st.localTag()));
        }
        if (dialog != null && initialInvite) {
            proxy.calls.ended(dialog, 500, "media-relay-failure", HangupSide.SYSTEM);
        }
    }

    private String dialogCallId() {
        return original.callId();
    }

    private static boolean isSdp(SipMessage m) {
        String ct = m.header("Content-Type");
        return ct != null && ct.toLowerCase().startsWith("application/sdp");
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
                cancelBranch(b);
            }
        }
    }

    private void cancelBranch(Branch b) {
        if (b.tx == null) {
            b.cancelPending = true;
            return;
        }
        if (b.tx.provisionalReceived()) {
            sendCancel(b);
        } else {
            // RFC 3261 section 9.1: CANCEL only after a provisional response; sent when one arrives
            b.cancelPending = true;
        }
    }

    private void sendCancel(Branch b) {
        if (b.tx == null || b.tx.finalReceived()) {
            return;
        }
        proxy.transactions.send(b.tx.buildCancel(), b.flow, new ClientTransaction.Listener() {
            @Override
            public void onResponse(ClientTransaction tx, SipMessage response) {
            }

            @Override
            public void onTimeout(ClientTransaction tx) {
            }
        });
    }

    private void cancelTimerC() {
        if (timerC >= 0) {
            proxy.vertx.cancelTimer(timerC);
            timerC = -1;
        }
    }

    /** Rewrites the request body through the relay before the branches are sent. */
    Future<Void> prepareMedia(MediaKind targetKind, String fromTag) {
        if (!original.hasBody() || !isSdp(original)) {
            return Future.succeededFuture();
        }
        offerFromTag = fromTag;
        offerFromKind = sourceKind;
        if (initialInvite && dialog != null) {
            dialog.caller.sdp = original.bodyText();
        }
        return proxy.relay.offer(original.callId(), original.bodyText(), sourceKind, targetKind, fromTag, false)
                .map(sdp -> {
                    forwardedBody = sdp;
                    forwardedContentType = "application/sdp";
                    return null;
                });
    }
}
