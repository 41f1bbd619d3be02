package io.webcall.signaling.dialog;

import io.vertx.core.Future;
import io.webcall.signaling.logging.CallMdc;
import io.webcall.signaling.sip.SipMessage;
import io.webcall.signaling.sip.SipResponses;
import io.webcall.signaling.transaction.ClientTransaction;
import io.webcall.signaling.transaction.TransactionLayer;
import io.webcall.signaling.transport.Flow;
import io.webcall.signaling.transport.SipTransports;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.util.List;
import java.util.Optional;

/**
 * A BYE the edge itself sends in the name of one party of a dialog (RFC 3261 section 15.1.1): Request-URI the other
 * party's Contact, Route its route set, the dialog's tags and the sender's next CSeq, and a Reason header (RFC 3326)
 * saying why the platform ended the call. Where it goes out is the caller's choice; this class builds, adds the Via
 * of the flow it leaves on and runs the client transaction.
 */
@ApplicationScoped
public class EdgeBye {

    private static final Logger LOG = Logger.getLogger(EdgeBye.class);

    @Inject
    TransactionLayer transactions;
    @Inject
    SipTransports transports;
    /** Secret shared by every service of a deployment; signs the cause of BYEs toward the owning edge. */
    @ConfigProperty(name = "webcall.internal.token")
    Optional<String> internalToken;

    /** The BYE request, without Via (added once the flow is known). */
    static SipMessage build(String requestUri, List<String> routeSet, String from, String to, String callId, long cseq,
                            String reason) {
        SipMessage bye = SipMessage.request("BYE", requestUri);
        for (String r : routeSet) {
            bye.add("Route", r);
        }
        bye.add("Max-Forwards", "70");
        bye.add("From", from);
        bye.add("To", to);
        bye.add("Call-ID", callId);
        bye.add("CSeq", cseq + " BYE");
        bye.add("Reason", "SIP;cause=200;text=\"" + reason + "\"");
        return bye;
    }

    /**
     * Sends {@code bye} toward the edge that owns the call, with the cause signed for it ({@link EdgeHangupCause}) so
     * it records why this edge ended the call.
     */
    void sendToOwningEdge(SipMessage bye, Future<Flow> flow, String cause) {
        EdgeHangupCause.add(bye, cause, internalToken.orElse(null));
        send(bye, flow);
    }

    /** Sends {@code bye} on the flow once it is there; the outcome is only logged (nobody waits for it). */
    void send(SipMessage bye, Future<Flow> flow) {
        String callId = bye.callId();
        flow.onSuccess(CallMdc.forCall(callId, f -> {
            bye.addFirst("Via", "SIP/2.0/" + f.transport().viaToken() + " " + transports.advertisedHost() + ":"
                    + transports.portFor(f.transport()) + ";branch=" + SipResponses.newBranch() + ";rport");
            transactions.send(bye, f, new ClientTransaction.Listener() {
                @Override
                public void onResponse(ClientTransaction tx, SipMessage response) {
                    LOG.debugf("BYE for %s answered %d", callId, response.status());
                }

                @Override
                public void onTimeout(ClientTransaction tx) {
                    LOG.warnf("BYE for %s timed out", callId);
                }
            });
        })).onFailure(CallMdc.forCall(callId, e -> LOG.warnf("Cannot send BYE for %s: %s", callId, e.getMessage())));
    }
}
