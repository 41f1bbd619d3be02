package io.webcall.signaling.transport;

import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.ext.web.Router;
import io.webcall.signaling.EdgeConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;

/**
 * SIP over WebSocket (RFC 7118) on the HTTP server's {@code webcall.edge.sip.ws-path}: the upgrade is accepted only
 * with the {@code sip} subprotocol, from an allowed Origin and within the connection limit of its source (refusals
 * are HTTP errors with a JSON body); each WebSocket is then a flow whose text and binary messages take the shared
 * inbound path.
 */
@ApplicationScoped
public class WebSocketListener {

    private static final Logger LOG = Logger.getLogger(WebSocketListener.class);

    @Inject
    EdgeConfig config;
    @Inject
    MeterRegistry metrics;
    @Inject
    SipTransports transports;
    @Inject
    ConnectionSlots slots;

    /**
     * Mounts the RFC 7118 endpoint on the HTTP router, ahead of Quarkus' HTTP authentication and authorization
     * filters (route orders -200 and -100): the edge configures no HTTP security for this path (SIP authenticates on the
     * WebSocket; the Origin check is below), and running them for every upgrade cost ~6 % of the event loops' time
     * while connections were opened.
     */
    void onRouter(@Observes Router router) {
        router.route(config.sip().wsPath()).order(-300).handler(rc -> onUpgrade(rc.request(), rc));
    }

    private void onUpgrade(HttpServerRequest req, io.vertx.ext.web.RoutingContext rc) {
        String upgrade = req.getHeader("Upgrade");
        if (upgrade == null || !upgrade.equalsIgnoreCase("websocket")) {
            httpError(rc, 426, "upgrade_required", "SIP over WebSocket: send a WebSocket upgrade with subprotocol 'sip'");
            return;
        }
        String protocols = req.getHeader("Sec-WebSocket-Protocol");
        if (protocols == null || java.util.Arrays.stream(protocols.split(",")).map(String::trim).noneMatch("sip"::equalsIgnoreCase)) {
            httpError(rc, 400, "subprotocol_required", "WebSocket subprotocol 'sip' is required (RFC 7118)");
            return;
        }
        String origin = req.getHeader("Origin");
        if (!originAllowed(origin)) {
            httpError(rc, 403, "origin_not_allowed", "Origin " + origin + " is not allowed");
            return;
        }
        String source = req.remoteAddress().host();
        if (!slots.take(source)) {
            metrics.counter("webcall_edge_rejected_connections_total", "reason", "per_source_limit").increment();
            httpError(rc, 503, "too_many_connections", "Too many connections from " + source);
            return;
        }
        Transport transport = req.isSSL() ? Transport.WSS : Transport.WS;
        req.toWebSocket().onSuccess(ws -> onWebSocket(ws, transport, source)).onFailure(e -> {
            slots.release(source);
            LOG.debugf("WebSocket upgrade failed: %s", e.getMessage());
        });
    }

    private void onWebSocket(ServerWebSocket ws, Transport transport, String source) {
        FlowTable flows = transports.flows();
        InboundMessages inbound = transports.inbound();
        String id = flows.newId("ws");
        WsFlow flow = new WsFlow(id, transport, ws, new RateLimiter(config.limits().requestsPerSecond(), config.limits().requestBurst()));
        flows.add(id, flow);
        metrics.counter("webcall_edge_connections_total", "transport", transport.name()).increment();
        // every frame (continuations and control frames too) shows the connection is alive; Vert.x hands the
        // aggregated messages to the two handlers below
        ws.frameHandler(frame -> flow.lastSeen = System.nanoTime());
        ws.textMessageHandler(text -> {
            flow.lastSeen = System.nanoTime();
            inbound.receive(text.getBytes(StandardCharsets.UTF_8), flow, flow.limiter);
        });
        ws.binaryMessageHandler(buf -> {
            flow.lastSeen = System.nanoTime();
            inbound.receive(buf.getBytes(), flow, flow.limiter);
        });
        ws.pongHandler(b -> flow.lastSeen = System.nanoTime());
        ws.closeHandler(v -> {
            flow.open = false;
            flows.remove(id);
            slots.release(source);
            inbound.flowClosed(flow);
        });
        ws.exceptionHandler(e -> LOG.debugf("WebSocket %s error: %s", id, e.getMessage()));
    }

    private boolean originAllowed(String origin) {
        var allowed = config.sip().allowedOrigins();
        if (allowed.isEmpty() || allowed.contains("*")) {
            return true;
        }
        return origin != null && allowed.contains(origin);
    }

    private static void httpError(io.vertx.ext.web.RoutingContext rc, int status, String code, String message) {
        rc.response().setStatusCode(status).putHeader("Content-Type", "application/json")
                .end("{\"error\":\"" + code + "\",\"message\":\"" + message.replace("\"", "'") + "\",\"field\":null}");
    }
}
