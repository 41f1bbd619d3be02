package io.webcall.signaling.proxy;

import io.vertx.core.Future;
import io.webcall.events.HangupSide;
import io.webcall.signaling.dialog.CallControl;
import io.webcall.signaling.dialog.Dialog;
import io.webcall.signaling.logging.CallMdc;
import io.webcall.signaling.media.MediaKind;
import io.webcall.signaling.media.RelayClient;
import io.webcall.signaling.media.SdpOrigin;
import io.webcall.signaling.sip.SipMessage;
import io.webcall.signaling.sip.SipResponses;
import io.webcall.signaling.transaction.ServerTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.util.List;

/**
 * Media anchoring of proxied requests (RFC 3264 offer/answer through the media relay): the request's offer is
 * rewritten by the relay before its branches go out, and the SDP of the responses on the way back: the answer, an
 * offer in the response to an INVITE without one (delayed offer), and a new offer in a later reliable provisional
 * response. The state of one request's exchange lives in its {@link ProxyContext}.
 */
@ApplicationScoped
public class MediaAnchoring {

    private static final Logger LOG = Logger.getLogger(MediaAnchoring.class);

    /**
     * An SDP answer from a 18x or 2xx as received, and its rewrite by the relay (reused for the 2xx repeating a 18x's
     * answer and for 2xx retransmissions, RFC 3261 section 13.3.1.4, which the relay would refuse as a second answer).
     */
    record EarlyAnswer(String sdp, Future<String> rewritten) {
    }

    @Inject
    RelayClient relay;
    @Inject
    CallControl calls;

    /**
     * Hands the request's offer to the relay, then sends the request to {@code targets}; when the relay refuses it, the
     * request gets {@code 488} (an INVITE) or {@code 500} and the call {@code d}, if one was started for it, ends.
     */
    void startWithMedia(ProxyContext ctx, Dialog d, List<Target> targets, MediaKind targetKind) {
        prepareMedia(ctx, targetKind, ctx.original.fromTag()).onComplete(CallMdc.wrap(ar -> {
            if (ar.failed()) {
                LOG.warnf("Relay rejected the offer of %s: %s", ctx.original.callId(), ar.cause().getMessage());
                ctx.st.respond(ctx.original.isMethod("INVITE") ? 488 : 500, "Media Relay Failure");
                if (d != null) {
                    calls.ended(d, 488, "media-relay-failure", HangupSide.SYSTEM);
                }
                return;
            }
            ctx.start(targets);
        }));
    }

    /**
     * Forwards a response upstream, its SDP rewritten by the relay: the answer to the request's offer (handed to the
     * relay once per dialog), or an offer the UAS makes in it; a response without SDP goes as it is.
     */
    void forward(ProxyContext ctx, Branch b, SipMessage r) {
        SipMessage original = ctx.original;
        ServerTransaction st = ctx.st;
        if (r.hasBody() && isSdp(r) && original.isMethod("INVITE") || r.hasBody() && isSdp(r) && original.isMethod("UPDATE")) {
            if (laterOffer(ctx, b, r)) {
                return;
            }
            if (ctx.offerFromTag == null) {
                if ((r.isSuccess() || reliableProvisional(r)) && original.isMethod("INVITE") && ctx.dialog != null
                        && relay.anchoring()) {
                    offerInAnswer(ctx, b, r);
                } else {
                    st.respond(r);
                }
                return;
            }
            EarlyAnswer early = ctx.earlyAnswers.get(r.toTag());
            if (early != null) {
                // RFC 3261 section 13.2.1 / RFC 3262: the answer already came in a provisional response of this
                // dialog or in a 2xx; later copies (the 2xx, retransmitted 18x or 2xx) carry the same SDP and get the
                // same rewrite
                if (!early.sdp.equals(r.bodyText())) {
                    LOG.warnf("%s: SDP in %d differs from the answer in the earlier provisional response; keeping that answer",
                            original.callId(), r.status());
                }
                early.rewritten.onComplete(CallMdc.wrap(ar -> {
                    if (ar.succeeded()) {
                        r.setBody("application/sdp", ar.result());
                        st.respond(r);
                    } else if (r.isSuccess()) {
                        relayFailure(ctx);
                    }
                }));
                return;
            }
            MediaKind answererKind = b.target.kind();
            String answer = r.bodyText();
            String toTag = r.toTag();
            Future<String> rewritten = relay.answer(original.callId(), answer, answererKind, ctx.offerFromKind, ctx.offerFromTag, toTag);
            if (toTag != null) {
                ctx.earlyAnswers.put(toTag, new EarlyAnswer(answer, rewritten));
                ctx.uasSdp.put(toTag, answer);
            }
            rewritten.onComplete(CallMdc.wrap(ar -> {
                if (ar.succeeded()) {
                    r.setBody("application/sdp", ar.result());
                    st.respond(r);
                } else {
                    LOG.warnf("Relay rejected the answer of %s: %s", original.callId(), ar.cause().getMessage());
                    if (r.isSuccess()) {
                        // the callee answered with media the relay cannot bridge: the caller gets an error
                        relayFailure(ctx);
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
    private void offerInAnswer(ProxyContext ctx, Branch b, SipMessage r) {
        Dialog dialog = ctx.dialog;
        ServerTransaction st = ctx.st;
        Dialog.DelayedOffer pending = dialog.delayedOffer;
        if (pending != null && pending.offererTag().equals(r.toTag())) {
            if (pending.rewrittenSdp() != null) {
                r.setBody("application/sdp", pending.rewrittenSdp());
                st.respond(r);
            }
            return; // otherwise the relay is still rewriting the first copy
        }
        MediaKind offererKind = b.target.kind();
        MediaKind answererKind = ctx.sourceKind;
        dialog.delayedOffer = new Dialog.DelayedOffer(r.toTag(), offererKind, answererKind, null);
        if (r.toTag() != null) {
            ctx.uasSdp.put(r.toTag(), r.bodyText());
        }
        relay.offer(ctx.original.callId(), r.bodyText(), offererKind, answererKind, r.toTag(), false).onComplete(CallMdc.wrap(ar -> {
            if (ar.failed()) {
                LOG.warnf("Relay rejected the offer in the 2xx of %s: %s", ctx.original.callId(), ar.cause().getMessage());
                dialog.delayedOffer = null;
                relayFailure(ctx);
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
     * answer in the PRACK goes to the relay's answer API (see {@link InDialogRouting}). A repeat with the same origin
     * line is not a new offer and keeps the earlier rewrite; so do a changed SDP in an unreliable 18x or in the 2xx,
     * which cannot carry an offer once the exchange is complete (RFC 3261 section 13.2.1, RFC 6337 section 3.1).
     *
     * @return true when the response was taken as a new offer (it is forwarded once the relay has rewritten it)
     */
    private boolean laterOffer(ProxyContext ctx, Branch b, SipMessage r) {
        String tag = r.toTag();
        Dialog dialog = ctx.dialog;
        if (!ctx.initialInvite || dialog == null || tag == null || !relay.anchoring() || !reliableProvisional(r)) {
            return false;
        }
        String previous = ctx.uasSdp.get(tag);
        if (previous == null || SdpOrigin.sameVersion(previous, r.bodyText())) {
            return false;
        }
        Dialog.DelayedOffer pending = dialog.delayedOffer;
        if (pending != null && tag.equals(pending.offererTag()) && !pending.answered()) {
            return false; // the UAS's earlier offer is not answered yet (RFC 3262 section 3: one unacknowledged 1xx-rel)
        }
        MediaKind offererKind = b.target.kind();
        MediaKind answererKind = ctx.sourceKind;
        ctx.uasSdp.put(tag, r.bodyText());
        dialog.delayedOffer = new Dialog.DelayedOffer(tag, offererKind, answererKind, null);
        Future<String> rewritten = relay.offer(ctx.original.callId(), r.bodyText(), offererKind, answererKind, tag, false);
        // copies of this response (retransmissions, a 2xx repeating it) reuse the rewrite, in either flow
        ctx.earlyAnswers.put(tag, new EarlyAnswer(r.bodyText(), rewritten));
        LOG.infof("%s: new offer in reliable %d of the early dialog (%s)", ctx.original.callId(), r.status(),
                SdpOrigin.of(r.bodyText()));
        rewritten.onComplete(CallMdc.wrap(ar -> {
            if (ar.failed()) {
                LOG.warnf("Relay rejected the new offer in the %d of %s: %s", r.status(), ctx.original.callId(), ar.cause().getMessage());
                dialog.delayedOffer = pending;
                relayFailure(ctx);
                return;
            }
            dialog.delayedOffer = new Dialog.DelayedOffer(tag, offererKind, answererKind, ar.result());
            r.setBody("application/sdp", ar.result());
            ctx.st.respond(r);
        }));
        return true;
    }

    /** The relay cannot bridge the media: the request fails with 500 if it has no final response yet, the call ends. */
    private void relayFailure(ProxyContext ctx) {
        if (!ctx.st.finalSent()) {
            ctx.st.respond(SipResponses.create(ctx.original, 500, "Media Relay Failure", ctx.st.localTag()));
        }
        if (ctx.dialog != null && ctx.initialInvite) {
            calls.ended(ctx.dialog, 500, "media-relay-failure", HangupSide.SYSTEM);
        }
    }

    private static boolean isSdp(SipMessage m) {
        String ct = m.header("Content-Type");
        return ct != null && ct.toLowerCase().startsWith("application/sdp");
    }

    /** Rewrites the request body through the relay before the branches are sent. */
    private Future<Void> prepareMedia(ProxyContext ctx, MediaKind targetKind, String fromTag) {
        SipMessage original = ctx.original;
        if (!original.hasBody() || !isSdp(original)) {
            return Future.succeededFuture();
        }
        ctx.offerFromTag = fromTag;
        ctx.offerFromKind = ctx.sourceKind;
        if (ctx.initialInvite && ctx.dialog != null) {
            ctx.dialog.caller.sdp = original.bodyText();
        }
        return relay.offer(original.callId(), original.bodyText(), ctx.sourceKind, targetKind, fromTag, false)
                .map(sdp -> {
                    ctx.forwardedBody = sdp;
                    ctx.forwardedContentType = "application/sdp";
                    return null;
                });
    }
}
