package io.webcall.signaling.transaction;

import io.vertx.core.Vertx;
import io.webcall.signaling.sip.SipMessage;
import io.webcall.signaling.transport.Flow;

/**
 * A client transaction (RFC 3261 section 17.1): retransmits over UDP (Timers A and E), times out (Timers B and F),
 * builds the ACK for non-2xx final responses to INVITE (section 17.1.1.3) and absorbs response retransmissions
 * (Timers D and K). 2xx responses to INVITE keep being passed up for 32 s (RFC 6026 Accepted state).
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
    private final SipMessage request;
    private final Flow flow;
    private final String key;
    private final Listener listener;
    private long retransmitTimer = -1;
    private long timeoutTimer = -1;
    private long interval = Timers.T1;
    private boolean provisional;
    private SipMessage finalResponse;
    private SipMessage ack;
    private boolean terminated;
    /** Free slot for the element that created this transaction. */
    public Object owner;

    ClientTransaction(TransactionLayer layer, Vertx vertx, SipMessage request, Flow flow, String key, Listener listener) {
        this.layer = layer;
        this.vertx = vertx;
        this.request = request;
        this.flow = flow;
        this.key = key;
        this.listener = listener;
    }

    void start() {
        flow.send(request);
        if (!flow.reliable()) {
            retransmitTimer = vertx.setTimer(interval, this::retransmit);
        }
        timeoutTimer = vertx.setTimer(Timers.TIMEOUT, t -> {
            if (finalResponse == null && !(isInvite() && provisional)) {
                fail();
            } else if (finalResponse == null && !isInvite()) {
                fail();
            }
        });
    }

    private void fail() {
        if (terminated || finalResponse != null) {
            return;
        }
        terminate();
        listener.onTimeout(this);
    }

    public SipMessage request() {
        return request;
    }

    public Flow flow() {
        return flow;
    }

    public boolean isInvite() {
        return request.isMethod("INVITE");
    }

    public boolean provisionalReceived() {
        return provisional;
    }

    public boolean finalReceived() {
        return finalResponse != null;
    }

    private void retransmit(long id) {
        if (terminated || finalResponse != null || (isInvite() && provisional)) {
            return;
        }
        flow.send(request);
        interval = isInvite() ? interval * 2 : Math.min(interval * 2, Timers.T2);
        if (!isInvite() && provisional) {
            interval = Timers.T2;
        }
        retransmitTimer = vertx.setTimer(interval, this::retransmit);
    }

    void onResponse(SipMessage response) {
        if (terminated && !(isInvite() && response.isSuccess())) {
            return;
        }
        if (!response.isFinal()) {
            if (finalResponse == null) {
                provisional = true;
                listener.onResponse(this, response);
            }
            return;
        }
        if (finalResponse != null) {
            // retransmission of a final response
            if (ack != null) {
                flow.send(ack);
            } else if (isInvite() && response.isSuccess()) {
                listener.onResponse(this, response);
            }
            return;
        }
        finalResponse = response;
        cancelTimers();
        if (isInvite() && !response.isSuccess()) {
            ack = buildAck(response);
            flow.send(ack);
            vertx.setTimer(flow.reliable() ? 1 : Timers.TIMEOUT, t -> terminate());
        } else if (isInvite()) {
            vertx.setTimer(Timers.TIMEOUT, t -> terminate());
        } else {
            vertx.setTimer(flow.reliable() ? 1 : Timers.T4, t -> terminate());
        }
        listener.onResponse(this, response);
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

    /** CANCEL for this INVITE (RFC 3261 section 9.1): same Request-URI, top Via, Route, Call-ID, From, To and CSeq number. */
    public SipMessage buildCancel() {
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
        if (retransmitTimer >= 0) {
            vertx.cancelTimer(retransmitTimer);
        }
        if (timeoutTimer >= 0) {
            vertx.cancelTimer(timeoutTimer);
        }
    }

    /** The transport could not send the request (RFC 3261 section 8.1.3.1). */
    public void transportError() {
        cancelTimers();
        fail();
    }

    private void terminate() {
        if (!terminated) {
            terminated = true;
            cancelTimers();
            layer.removeClient(key, this);
        }
    }
}
