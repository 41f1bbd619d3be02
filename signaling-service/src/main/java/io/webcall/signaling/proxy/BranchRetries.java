package io.webcall.signaling.proxy;

import io.micrometer.core.instrument.MeterRegistry;
import io.webcall.signaling.EdgeConfig;
import io.webcall.signaling.auth.ClientDigest;
import io.webcall.signaling.sip.SipHeaders;
import io.webcall.signaling.sip.SipMessage;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

/**
 * Sends a branch's request again, as a new transaction with the next CSeq, when the answer can be fixed instead of
 * failing the branch: after {@code 422 Session Interval Too Small} with the downstream Min-SE (RFC 4028 section 6),
 * and after a PBX trunk's digest challenge with the trunk's credentials (RFC 3261 section 22.2).
 */
@ApplicationScoped
public class BranchRetries {

    private static final Logger LOG = Logger.getLogger(BranchRetries.class);

    @Inject
    EdgeConfig config;
    @Inject
    MeterRegistry metrics;

    /** RFC 4028 section 6: a UAS or proxy answered 422; retry with its Min-SE instead of failing the call. */
    boolean after422(ProxyContext ctx, Branch b, SipMessage response) {
        String minSe = response.header("Min-SE");
        if (minSe == null || b.retries422 >= config.calls().max422Retries()) {
            return false;
        }
        int value;
        try {
            value = Integer.parseInt(minSe.split(";")[0].trim());
        } catch (NumberFormatException e) {
            return false;
        }
        b.retries422++;
        SipMessage retry = nextAttempt(ctx, b);
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
        metrics.counter("webcall_edge_session_timer_retries_total").increment();
        ctx.send(b, retry);
        return true;
    }

    /** Answers a PBX digest challenge with the trunk's credentials (RFC 3261 section 22.2). */
    boolean withCredentials(ProxyContext ctx, Branch b, SipMessage response) {
        boolean proxyAuth = response.status() == 407;
        String challenge = response.header(proxyAuth ? "Proxy-Authenticate" : "WWW-Authenticate");
        if (challenge == null) {
            return false;
        }
        SipMessage retry = nextAttempt(ctx, b);
        String answer = ClientDigest.answer(challenge, retry.method(), retry.requestUri(), b.target.trunk().username(),
                b.target.trunk().password());
        if (answer == null) {
            return false;
        }
        b.authTried = true;
        retry.remove("Authorization");
        retry.remove("Proxy-Authorization");
        retry.add(proxyAuth ? "Proxy-Authorization" : "Authorization", answer);
        ctx.send(b, retry);
        return true;
    }

    /** The same request with a new branch and the next CSeq number (a new transaction toward the same target). */
    private static SipMessage nextAttempt(ProxyContext ctx, Branch b) {
        SipMessage retry = b.request.copy();
        retry.removeFirst("Via");
        retry.addFirst("Via", ctx.proxy.via(b.target.transport()));
        b.cseqDelta++;
        retry.set("CSeq", (retry.cseqNumber() + 1) + " " + retry.cseqMethod());
        return retry;
    }
}
