package io.webcall.signaling.transport;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Context;
import io.webcall.signaling.EdgeConfig;
import io.webcall.signaling.sip.SipCodec;
import io.webcall.signaling.sip.SipMessage;
import io.webcall.signaling.sip.SipParseException;
import io.webcall.signaling.sip.SipResponses;
import jakarta.enterprise.inject.Instance;
import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;

/**
 * The inbound path every transport shares: answers CRLF keep-alives on WebSocket (RFC 5626 section 4.4.1), applies
 * the message size limit (513) and the request rate limit (503 with Retry-After), rejects malformed requests with
 * 400 and drops malformed responses, counts what is accepted, then hands each message, and each closed flow, to the
 * {@link SipHandler} on the single core event loop.
 */
final class InboundMessages {

    private static final Logger LOG = Logger.getLogger(InboundMessages.class);

    private final EdgeConfig config;
    private final MeterRegistry metrics;
    private final Instance<SipHandler> handler;
    private final Context core;
    /** webcall_edge_messages_total by transport (ordinal) and kind (0 request, 1 response), looked up once. */
    private final Counter[][] messageCounters;

    InboundMessages(EdgeConfig config, MeterRegistry metrics, Instance<SipHandler> handler, Context core) {
        this.config = config;
        this.metrics = metrics;
        this.handler = handler;
        this.core = core;
        messageCounters = new Counter[Transport.values().length][2];
        for (Transport t : Transport.values()) {
            messageCounters[t.ordinal()][0] = metrics.counter("webcall_edge_messages_total", "transport", t.name(), "kind", "request");
            messageCounters[t.ordinal()][1] = metrics.counter("webcall_edge_messages_total", "transport", t.name(), "kind", "response");
        }
    }

    /**
     * One message as received (a datagram, a WebSocket message, a framed TCP message), counted against the
     * {@code limiter} of its source when it is a request.
     */
    void receive(byte[] data, Flow flow, RateLimiter limiter) {
        if (flow.transport().isWebSocket() && isOnlyCrlf(data)) {
            if (data.length >= 4) {
                flow.sendRaw(new byte[] {'\r', '\n'}); // RFC 5626 section 4.4.1 pong
            }
            return;
        }
        if (data.length > config.limits().maxMessageBytes()) {
            metrics.counter("webcall_edge_rejected_messages_total", "reason", "too_large").increment();
            rejectUnframeable(data, "Message Too Large", flow);
            return;
        }
        SipMessage msg;
        try {
            msg = SipCodec.parse(data);
        } catch (SipParseException e) {
            metrics.counter("webcall_edge_rejected_messages_total", "reason", "malformed").increment();
            SipMessage req = e.partialRequest();
            LOG.debugf("Malformed SIP from %s: %s", flow, e.getMessage());
            if (req != null && !req.isMethod("ACK") && req.header("Via") != null) {
                flow.send(SipResponses.create(req, e.status(), e.getMessage()));
            }
            return;
        } catch (RuntimeException e) {
            metrics.counter("webcall_edge_rejected_messages_total", "reason", "malformed").increment();
            LOG.debugf("Unparseable SIP from %s: %s", flow, e.toString());
            return;
        }
        if (msg.isRequest() && !limiter.tryAcquire()) {
            metrics.counter("webcall_edge_rejected_messages_total", "reason", "rate").increment();
            if (!msg.isMethod("ACK")) {
                SipMessage r = SipResponses.create(msg, 503, "Request Rate Limit Exceeded");
                r.add("Retry-After", "1");
                flow.send(r);
            }
            return;
        }
        messageCounters[flow.transport().ordinal()][msg.isRequest() ? 0 : 1].increment();
        core.runOnContext(v -> {
            try {
                handler.get().onMessage(msg, flow);
            } catch (RuntimeException e) {
                LOG.errorf(e, "Failed to process %s from %s", msg.summary(), flow);
                if (msg.isRequest() && !msg.isMethod("ACK")) {
                    flow.send(SipResponses.create(msg, 500, "Server Internal Error"));
                }
            }
        });
    }

    /** Answers 513 (or 400) to a request that cannot be taken as a whole, when its first headers can be read. */
    void rejectUnframeable(byte[] data, String reason, Flow flow) {
        String text = new String(data, 0, Math.min(data.length, 8192), StandardCharsets.UTF_8);
        int cut = text.indexOf("\r\n\r\n");
        String head = cut >= 0 ? text.substring(0, cut) : text.substring(0, Math.max(0, text.lastIndexOf("\r\n")));
        StringBuilder sb = new StringBuilder();
        for (String line : head.split("\r\n")) {
            String lower = line.toLowerCase(java.util.Locale.ROOT);
            if (!lower.startsWith("content-length") && !lower.startsWith("l:") && !lower.startsWith("l :")) {
                sb.append(line).append("\r\n");
            }
        }
        sb.append("Content-Length: 0\r\n\r\n");
        SipMessage req;
        try {
            req = SipCodec.parse(sb.toString().getBytes(StandardCharsets.UTF_8));
        } catch (SipParseException e) {
            req = e.partialRequest();
        } catch (RuntimeException e) {
            req = null;
        }
        if (req != null && req.isRequest() && !req.isMethod("ACK") && req.header("Via") != null) {
            int status = reason.startsWith("Message Too Large") ? 513 : 400;
            flow.send(SipResponses.create(req, status, reason));
        }
    }

    /** A keep-alive: nothing but CR and LF (RFC 5626 section 4.4.1: CRLF ping, CRLF pong). */
    static boolean isOnlyCrlf(byte[] data) {
        for (byte b : data) {
            if (b != '\r' && b != '\n') {
                return false;
            }
        }
        return true;
    }

    /** Tells the handler, on the core event loop, that a connection closed. */
    void flowClosed(Flow flow) {
        core.runOnContext(x -> handler.get().onFlowClosed(flow));
    }
}
