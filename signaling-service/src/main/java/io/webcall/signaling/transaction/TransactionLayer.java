package io.webcall.signaling.transaction;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import io.webcall.signaling.sip.SipMessage;
import io.webcall.signaling.transport.Flow;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import java.util.HashMap;
import java.util.Map;

/**
 * Matches requests to server transactions (RFC 3261 section 17.2.3) and responses to client transactions
 * (section 17.1.3). Used only from the core event loop, so plain maps suffice.
 */
@ApplicationScoped
public class TransactionLayer {

    @Inject
    Vertx vertx;
    @Inject
    MeterRegistry metrics;

    private final Map<String, ServerTransaction> servers = new HashMap<>();
    private final Map<String, ClientTransaction> clients = new HashMap<>();

    void onStart(@Observes StartupEvent ev) {
        metrics.gauge("webcall_edge_transactions", this, t -> t.servers.size() + t.clients.size());
    }

    /** What the layer did with an incoming request. */
    public enum Match { NEW, RETRANSMISSION, ACK_ABSORBED, ACK_PASS }

    /**
     * Classifies a request: a retransmission is answered from the transaction, the ACK for a non-2xx final
     * response is absorbed; anything else is new (an ACK for a 2xx is passed on to the proxy core).
     */
    public Match classify(SipMessage request) {
        String key = serverKey(request);
        ServerTransaction st = servers.get(key);
        if (request.isMethod("ACK")) {
            if (st != null && st.lastStatus() >= 300) {
                st.onAck();
                return Match.ACK_ABSORBED;
            }
            return Match.ACK_PASS;
        }
        if (st != null) {
            st.onRetransmission();
            return Match.RETRANSMISSION;
        }
        return Match.NEW;
    }

    public ServerTransaction createServer(SipMessage request, Flow flow) {
        String key = serverKey(request);
        ServerTransaction st = new ServerTransaction(this, vertx, request, flow, key);
        servers.put(key, st);
        return st;
    }

    /** The INVITE server transaction a CANCEL refers to (RFC 3261 section 9.2), or null. */
    public ServerTransaction findInviteFor(SipMessage cancel) {
        String branch = cancel.topViaBranch();
        if (branch != null && branch.startsWith("z9hG4bK")) {
            return servers.get(branch + "|" + sentBy(cancel) + "|INVITE");
        }
        return servers.get(legacyKey(cancel, "INVITE"));
    }

    /** Starts a client transaction: sends the request now and retransmits as needed. */
    public ClientTransaction send(SipMessage request, Flow flow, ClientTransaction.Listener listener) {
        String key = request.topViaBranch() + "|" + request.method();
        ClientTransaction ct = new ClientTransaction(this, vertx, request, flow, key, listener);
        clients.put(key, ct);
        ct.start();
        return ct;
    }

    /** Passes a response to its client transaction; false when none matches (RFC 3261 section 17.1.3). */
    public boolean onResponse(SipMessage response) {
        String branch = response.topViaBranch();
        if (branch == null) {
            return false;
        }
        ClientTransaction ct = clients.get(branch + "|" + response.cseqMethod());
        if (ct == null) {
            return false;
        }
        ct.onResponse(response);
        return true;
    }

    void removeServer(String key, ServerTransaction st) {
        servers.remove(key, st);
    }

    void removeClient(String key, ClientTransaction ct) {
        clients.remove(key, ct);
    }

    public int size() {
        return servers.size() + clients.size();
    }

    private static String serverKey(SipMessage request) {
        String method = request.isMethod("ACK") ? "INVITE" : request.method();
        String branch = request.topViaBranch();
        if (branch != null && branch.startsWith("z9hG4bK")) {
            return branch + "|" + sentBy(request) + "|" + method;
        }
        return legacyKey(request, method);
    }

    /** The sent-by of the top Via, part of the matching rule of RFC 3261 section 17.2.3. */
    private static String sentBy(SipMessage request) {
        String via = request.topVia();
        int sp = via.indexOf(' ');
        int semi = via.indexOf(';');
        return via.substring(sp + 1, semi < 0 ? via.length() : semi).trim().toLowerCase(java.util.Locale.ROOT);
    }

    private static String legacyKey(SipMessage request, String method) {
        return "legacy|" + request.callId() + "|" + request.cseqNumber() + "|" + request.fromTag() + "|" + method;
    }
}
