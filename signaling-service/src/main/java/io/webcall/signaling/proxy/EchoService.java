package io.webcall.signaling.proxy;

import io.webcall.events.HangupSide;
import io.webcall.signaling.auth.Identity;
import io.webcall.signaling.dialog.CallControl;
import io.webcall.signaling.dialog.Dialog;
import io.webcall.signaling.media.MediaKind;
import io.webcall.signaling.media.RelayClient;
import io.webcall.signaling.sip.SipMessage;
import io.webcall.signaling.sip.SipResponses;
import io.webcall.signaling.tenant.Tenant;
import io.webcall.signaling.transaction.ServerTransaction;
import io.webcall.signaling.transport.SipTransports;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * The echo test ({@code sip:echo@<tenant domain>}): the edge is the UAS (RFC 3261 section 8.2), the relay loops
 * the media back. The relay's answer to the browser's offer ({@code to: "echo"}) becomes the 200 OK body.
 */
@ApplicationScoped
public class EchoService {

    static final String ALLOW = "INVITE, ACK, CANCEL, BYE, OPTIONS, UPDATE, INFO";

    @Inject
    RelayClient relay;
    @Inject
    CallControl calls;
    @Inject
    SipTransports transports;

    void call(ServerTransaction st, Identity identity, Tenant tenant) {
        SipMessage req = st.request();
        if (req.isMethod("OPTIONS")) {
            SipMessage ok = SipResponses.create(req, 200, "OK", st.localTag());
            ok.add("Allow", ALLOW);
            st.respond(ok);
            return;
        }
        if (!req.isMethod("INVITE")) {
            st.respond(405, "Method Not Allowed");
            return;
        }
        if (!req.hasBody()) {
            st.respond(488, "Echo Needs An SDP Offer");
            return;
        }
        Dialog d = calls.initiated(req, st.flow(), MediaKind.WEBRTC, tenant.id(), "internal", identity.aor());
        d.echo = true;
        d.callee.tag = st.localTag();
        d.callee.kind = MediaKind.ECHO;
        d.cancelAction = () -> {
            if (!st.finalSent()) {
                st.respond(487, "Request Terminated");
                calls.ended(d, 487, "canceled", HangupSide.CALLER);
            }
        };
        relay.offer(req.callId(), req.bodyText(), MediaKind.WEBRTC, MediaKind.ECHO, req.fromTag(), false).onComplete(ar -> {
            if (st.finalSent()) {
                return;
            }
            if (ar.failed()) {
                st.respond(503, "Echo Service Unavailable");
                calls.ended(d, 503, "media-relay-failure", HangupSide.SYSTEM);
                return;
            }
            SipMessage ok = answer(st, ar.result());
            d.state = Dialog.State.CONFIRMED;
            d.answeredAt = System.currentTimeMillis();
            st.respond(ok);
            calls.answeredEcho(d);
        });
    }

    void inDialog(ServerTransaction st, Dialog d) {
        SipMessage req = st.request();
        switch (req.method()) {
            case "BYE" -> {
                st.respond(200, "OK");
                calls.ended(d, 200, "normal", HangupSide.CALLER);
            }
            case "INVITE", "UPDATE" -> {
                if (!req.hasBody()) {
                    st.respond(answer(st, null));
                    return;
                }
                relay.offer(req.callId(), req.bodyText(), MediaKind.WEBRTC, MediaKind.ECHO, req.fromTag(), false).onComplete(ar -> {
                    if (ar.failed()) {
                        st.respond(488, "Not Acceptable Here");
                    } else {
                        st.respond(answer(st, ar.result()));
                    }
                });
            }
            case "INFO", "OPTIONS", "MESSAGE", "NOTIFY" -> st.respond(200, "OK");
            default -> st.respond(405, "Method Not Allowed");
        }
    }

    private SipMessage answer(ServerTransaction st, String sdp) {
        SipMessage req = st.request();
        SipMessage ok = SipResponses.create(req, 200, "OK", st.localTag());
        if (req.toTag() != null) {
            ok.set("To", req.header("To"));
        }
        ok.add("Contact", "<sip:echo@" + transports.advertisedHost() + ":" + transports.sipPort() + ";transport="
                + st.flow().transport().uriParam() + ">");
        ok.add("Allow", ALLOW);
        if (sdp != null) {
            ok.setBody("application/sdp", sdp);
        }
        return ok;
    }
}
