package io.webcall.signaling.transaction;

import io.vertx.core.Vertx;
import io.webcall.signaling.sip.SipMessage;
import io.webcall.signaling.transport.Flow;

/**
 * A client transaction (RFC 3261 section 17.1): retransmits over UDP (Timers A and E), times out (Timers B and F),
 * builds the ACK for non-2xx final responses to INVITE (section 17.1.1.3) and absorbs response retransmissions
 * (Timers D and K). 2xx responses to INVITE keep being passed up for 32 s (RFC 6026 Accepted state).
 * <p>
 * Once the final response is in, the transaction keeps only what its remaining state needs (RFC 3261 section 17.1.1.2
 * Completed, RFC 6026 Accepted, section 17.1.2.2 Completed): not the request, and the listener only while 2xx
 * retransmissions of an INVITE are still passed up. Under load thousands of transactions wait in these states
 * (32 s for an answered INVITE, 5 s for a BYE over UDP), and what they hold would otherwise live that long.
 */
public final class ClientTransaction {

    /** Receives what happens to a client transaction. */
    public interface Listener {
        void onResponse(ClientTransaction tx, SipMessage response);

        /** Timer B/F fired or the transport failed: the element acts as if it got a 408 (section 16.7 step 1). */
        void onTimeout(ClientTransaction tx);
    }

    private final TransactionLayer layer;
    private final Vertx vertx;
    /** The request, until the final response (then only the ACK for a non-2xx is kept). */
    private SipMessage request;
    private final boolean invite;
    private final Flow flow;
    private final String key;
    /** Null once nothing more can be passed up: after a final response, except an INVITE's 2xx. */
    private Listener listener;
    /** The one armed timer: Timer A/E or Timer B/F, whichever is due first. */
    private long timer = -1;
    /** When Timer B/F fires ({@link System#nanoTime()}). */
    private long deadline;
    private long interval = Timers.T1;
    private boolean provisional;
    private boolean finalReceived;
    private SipMessage ack;
    private boolean terminated;
    /** Free slot for the element that created this transaction. */
    public Object owner;

    ClientTransaction(TransactionLayer layer, Vertx vertx, SipMessage request, Flow flow, String key, Listener listener) {
        this.layer = layer;
        this.vertx = vertx;
        this.request = request;
        this.invite = request.isMethod("INVITE");
        this.flow = flow;
        this.key = key;
        this.listener = listener;
    }

    void start() {
        deadline = System.nanoTime() + Timers.TIMEOUT * 1_000_000;
        flow.send(request);
        timer = vertx.setTimer(flow.reliable() ? Timers.TIMEOUT : interval, this::onTimer);
    }

    /**
     * Timers A/E (retransmissions, unreliable transports only) and B/F (timeout) share one timer, armed for whichever
     * is due first, so a transaction answered in time arms and cancels one timer instead of two.
     */
    private void onTimer(long id) {
        timer = -1;
        if (terminated || finalReceived) {
            return;
        }
        long left = (deadline - System.nanoTime()) / 1_000_000;
        if (left <= 0) {
            // Timer B/F; an INVITE with a provisional response waits for the proxy's Timer C instead
            if (!(invite && provisional)) {
                fail();
            }
            return;
        }
        if (invite && provisional) {
            return; // no more retransmissions (section 17.1.1.2), and Timer B would not fail it either
        }
        flow.send(request);
        interval = invite ? interval * 2 : Math.min(interval * 2, Timers.T2);
        if (!invite && provisional) {
            interval = Timers.T2;
        }
        timer = vertx.setTimer(Math.min(interval, left), this::onTimer);
    }

    private void fail() {
        if (terminated || finalReceived) {
            return;
        }
        terminate();
        listener.onTimeout(this);
    }

    public Flow flow() {
        return flow;
    }

    public boolean isInvite() {
        return invite;
    }

    public boolean provisionalReceived() {
        return provisional;
    }

    public boolean finalReceived() {
        return finalReceived;
    }

    void onResponse(SipMessage response) {
        if (terminated && !(isInvite() && response.isSuccess())) {
            return;
        }
        if (!response.isFinal()) {
            if (!finalReceived) {
                provisional = true;
                listener.onResponse(this, response);
            }
            return;
        }
        if (finalReceived) {
            // retransmission of a final response
            if (ack != null) {
                flow.send(ack);
            } else if (invite && response.isSuccess() && listener != null) {
                listener.onResponse(this, response);
            }
            return;
        }
        finalReceived = true;
        cancelTimers();
        if (invite && !response.isSuccess()) {
            ack = buildAck(response);
            flow.send(ack);
            terminateAfter(Timers.TIMEOUT);
        } else if (invite) {
            vertx.setTimer(Timers.TIMEOUT, t -> terminate());
        } else {
            terminateAfter(Timers.T4);
        }
        request = null;
        Listener l = listener;
        if (!(invite && response.isSuccess())) {
            listener = null;
        }
        l.onResponse(this, response);
    }

    /** ACK for a non-2xx final response, same branch as the INVITE (RFC 3261 section 17.1.1.3). */
    private SipMessage buildAck(SipMessage response) {
        SipMessage a = SipMessage.request("ACK", request.requestUri());
        a.add("Via", request.topVia());
        for (String r : request.headers("Route")) {
            a.add("Route", r);
        }
        a.add("Max-Forwards", "70");
        a.add("From", request.header("From"));
        a.add("To", response.header("To"));
        a.add("Call-ID", request.callId());
        a.add("CSeq", request.cseqNumber() + " ACK");
        return a;
    }

    /**
     * CANCEL for this INVITE (RFC 3261 section 9.1): same Request-URI, top Via, Route, Call-ID, From, To and CSeq number.
     * Only before the final response (section 9.1: a CANCEL after it has no effect).
     */
    public SipMessage buildCancel() {
        if (request == null) {
            throw new IllegalStateException("final response already received");
        }
        SipMessage c = SipMessage.request("CANCEL", request.requestUri());
        c.add("Via", request.topVia());
        for (String r : request.headers("Route")) {
            c.add("Route", r);
        }
        c.add("Max-Forwards", "70");
        c.add("From", request.header("From"));
        c.add("To", request.header("To"));
        c.add("Call-ID", request.callId());
        c.add("CSeq", request.cseqNumber() + " CANCEL");
        return c;
    }

    private void cancelTimers() {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
            timer = -1;
        }
    }

    /** The transport could not send the request (RFC 3261 section 8.1.3.1). */
    public void transportError() {
        cancelTimers();
        fail();
    }

    /**
     * Timers D, I, J and K: {@code unreliableMillis} over UDP, zero over a reliable transport (RFC 3261 sections 17.1.1.2,
     * 17.1.2.2, 17.2.1, 17.2.2), where the transaction ends once the current event is handled (no timer to arm).
     */
    private void terminateAfter(long unreliableMillis) {
        if (flow.reliable()) {
            vertx.runOnContext(v -> terminate());
        } else {
            vertx.setTimer(unreliableMillis, t -> terminate());
        }
    }

    private void terminate() {
        if (!terminated) {
            terminated = true;
            cancelTimers();
            layer.removeClient(key, this);
        }
    }
}
