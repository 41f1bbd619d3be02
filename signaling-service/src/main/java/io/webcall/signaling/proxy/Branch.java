package io.webcall.signaling.proxy;

import io.webcall.signaling.sip.SipMessage;
import io.webcall.signaling.transaction.ClientTransaction;
import io.webcall.signaling.transaction.TransactionLayer;
import io.webcall.signaling.transport.Flow;

/**
 * One forwarded copy of a proxied request (RFC 3261 section 16.6): its target, the request as sent, its client
 * transaction and flow, its retries, and its CANCEL (section 16.10).
 */
final class Branch {
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

    /** Cancels this branch: now, or once its first provisional response arrives. */
    void cancel(TransactionLayer transactions) {
        if (tx == null) {
            cancelPending = true;
            return;
        }
        if (tx.provisionalReceived()) {
            sendCancel(transactions);
        } else {
            // RFC 3261 section 9.1: CANCEL only after a provisional response; sent when one arrives
            cancelPending = true;
        }
    }

    /** Sends the CANCEL of this branch's request, unless its final response came already (RFC 3261 section 9.1). */
    void sendCancel(TransactionLayer transactions) {
        if (tx == null || tx.finalReceived()) {
            return;
        }
        transactions.send(tx.buildCancel(), flow, new ClientTransaction.Listener() {
            @Override
            public void onResponse(ClientTransaction tx, SipMessage response) {
            }

            @Override
            public void onTimeout(ClientTransaction tx) {
            }
        });
    }
}
