package io.webcall.signaling.proxy;

import io.webcall.events.HangupSide;
import io.webcall.signaling.dialog.CallControl;
import io.webcall.signaling.dialog.Dialog;
import io.webcall.signaling.dialog.DialogStore;
import io.webcall.signaling.sip.SipMessage;
import io.webcall.signaling.sip.SipResponses;
import io.webcall.signaling.transaction.ServerTransaction;
import io.webcall.signaling.transaction.TransactionLayer;
import io.webcall.signaling.transport.Flow;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * Answers a CANCEL and stops the INVITE it names (RFC 3261 sections 9.2 and 16.10): the proxied INVITE's pending
 * branches are cancelled, a call the edge answers itself (echo) runs its own cancel action, anything else gets
 * {@code 487 Request Terminated}.
 */
@ApplicationScoped
public class CancelHandler {

    @Inject
    TransactionLayer transactions;
    @Inject
    DialogStore dialogs;
    @Inject
    CallControl calls;

    void onCancel(SipMessage req, Flow flow) {
        ServerTransaction cancelTx = transactions.createServer(req, flow);
        ServerTransaction invite = transactions.findInviteFor(req);
        if (invite == null) {
            cancelTx.respond(481, "Call/Transaction Does Not Exist");
            return;
        }
        cancelTx.respond(SipResponses.create(req, 200, "OK", invite.localTag()));
        if (invite.finalSent()) {
            return;
        }
        if (invite.owner != null) {
            ((ProxyContext) invite.owner).cancel();
        } else {
            Dialog d = dialogs.get(req.callId());
            if (d != null && d.cancelAction != null) {
                d.cancelAction.run();
            } else {
                invite.respond(487, "Request Terminated");
                if (d != null) {
                    calls.ended(d, 487, "canceled", HangupSide.CALLER);
                }
            }
        }
    }
}
