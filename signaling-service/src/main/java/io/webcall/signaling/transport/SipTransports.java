package io.webcall.signaling.transport;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.datagram.DatagramSocket;
import io.vertx.core.datagram.DatagramSocketOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;
import io.vertx.ext.web.Router;
import io.webcall.signaling.EdgeConfig;
import io.webcall.signaling.sip.SipCodec;
import io.webcall.signaling.sip.SipMessage;
import io.webcall.signaling.sip.SipParseException;
import io.webcall.signaling.sip.SipResponses;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The edge's SIP transports: SIP over WebSocket on the HTTP server (RFC 7118), SIP over UDP and TCP
 * (RFC 3261 section 18). Applies the limits (message size, connections per source, request rate), answers
 * CRLF keep-alives (RFC 5626 section 4.4.1), rejects malformed requests with 400 and drops malformed
 * responses, then hands valid messages to the {@link SipHandler} on the single core event loop.
 */
@ApplicationScoped
public class SipTransports {

    private static final Logger LOG = Logger.getLogger(SipTransports.class);
    /** The largest UDP payload (IPv4: 65535 - 8 - 20; IPv6 without jumbograms allows 65527): one read buffer holds any datagram. */
    static final int MAX_DATAGRAM = 65536;

    @Inject
    Vertx vertx;
    @Inject
    EdgeConfig config;
    @Inject
    Instance<SipHandler> handler;
    @Inject
    MeterRegistry metrics;

    private Context core;
    private DatagramSocket udp;
    private NetServer tcpServer;
    private NetClient tcpClient;
    /** TLS toward PBX trunks (RFC 3261 section 26.2) and the optional TLS listener for them. */
    private NetClient tlsClient;
    private NetServer tlsServer;
    private int tlsPort = -1;
    private int sipPort;
    private final Map<String, Flow> flows = new ConcurrentHashMap<>();
    private final Map<String, Flow> tcpByAddress = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> connectionsPerSource = new ConcurrentHashMap<>();
    private final Map<String, RateLimiter> udpLimiters = new ConcurrentHashMap<>();
    private final AtomicLong flowCounter = new AtomicLong();
    private long pingTimer = -1;
    /** webcall_edge_messages_total by transport (ordinal) and kind (0 request, 1 response), looked up once. */
    private io.micrometer.core.instrument.Counter[][] messageCounters;

    void onStart(@Observes StartupEvent ev) throws Exception {
        // a duplicated context (same event loop, own local data): Quarkus keeps the logging MDC in a duplicated
        // context's local data, so only there does the Call-ID put into the MDC reach the log records
        core = io.smallrye.common.vertx.VertxContext.createNewDuplicatedContext(vertx.getOrCreateContext());
        messageCounters = new io.micrometer.core.instrument.Counter[Transport.values().length][2];
        for (Transport t : Transport.values()) {
            messageCounters[t.ordinal()][0] = metrics.counter("webcall_edge_messages_total", "transport", t.name(), "kind", "request");
            messageCounters[t.ordinal()][1] = metrics.counter("webcall_edge_messages_total", "transport", t.name(), "kind", "response");
        }
        int port = bind(config.sip().port());
        sipPort = port;
        tcpClient = vertx.createNetClient(new NetClientOptions().setConnectTimeout(3000));
        tlsClient = vertx.createNetClient(SipTls.clientOptions(config.sip().tls()));
        if (config.sip().tls().listen()) {
            tlsServer = vertx.createNetServer(SipTls.serverOptions(config.sip(), (int) config.sip().idleTimeout().toSeconds() * 4));
            tlsServer.connectHandler(s -> onTcpAccepted(s, Transport.TLS));
            tlsServer.listen().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            tlsPort = tlsServer.actualPort();
            LOG.infof("SIP over TLS listening on %s:%d", config.sip().host(), tlsPort);
        }
        long interval = Math.max(1000, config.sip().wsPingInterval().toMillis());
        pingTimer = vertx.setPeriodic(interval, t -> pingAndReap());
        LOG.infof("SIP listening on %s:%d (udp=%s tcp=%s), WebSocket on %s", config.sip().host(), sipPort,
                config.sip().udp(), config.sip().tcp(), config.sip().wsPath());
    }

    /**
     * Binds UDP and TCP on the same port. With port 0 the UDP socket picks a free port and TCP takes the same
     * number; when that TCP port is taken, both are tried again.
     */
    private int bind(int configured) throws Exception {
        for (int attempt = 0; ; attempt++) {
            int port = configured;
            try {
                if (config.sip().udp()) {
                    udp = vertx.createDatagramSocket(new DatagramSocketOptions().setReceiveBufferSize(1 << 20));
                    udp.handler(p -> onDatagram(p.data().getBytes(), p.sender().host(), p.sender().port()));
                    udp.listen(port, config.sip().host()).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
                    DatagramReads.sizeReadBuffers(udp, MAX_DATAGRAM);
                    port = udp.localAddress().port();
                }
                if (config.sip().tcp()) {
                    tcpServer = vertx.createNetServer(new NetServerOptions().setHost(config.sip().host()).setPort(port)
                            .setIdleTimeout((int) config.sip().idleTimeout().toSeconds() * 4).setIdleTimeoutUnit(TimeUnit.SECONDS));
                    tcpServer.connectHandler(s -> onTcpAccepted(s, Transport.TCP));
                    tcpServer.listen().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
                    port = tcpServer.actualPort();
                }
                return port;
            } catch (Exception e) {
                if (udp != null) {
                    udp.close();
                    udp = null;
                }
                if (configured != 0 || attempt >= 20) {
                    throw e;
                }
            }
        }
    }

    void onStop(@Observes ShutdownEvent ev) {
        if (pingTimer >= 0) {
            vertx.cancelTimer(pingTimer);
        }
        if (udp != null) {
            udp.close();
        }
        if (tcpServer != null) {
            tcpServer.close();
        }
        if (tlsServer != null) {
            tlsServer.close();
        }
    }

    /** The single event-loop context on which every SIP state change happens. */
    public Context core() {
        return core;
    }

    /** Port of the UDP/TCP SIP listener (the actual one when configured as 0). */
    public int sipPort() {
        return sipPort;
    }

    /**
     * Port written into Via and Record-Route for messages sent over {@code transport}: the TLS listener's for TLS when
     * it runs (RFC 3261 section 18.2.2: responses and in-dialog requests come back there), else the UDP/TCP port.
     */
    public int portFor(Transport transport) {
        return transport == Transport.TLS && tlsPort > 0 ? tlsPort : sipPort;
    }

    /** Whether the TLS listener runs. */
    public boolean tlsListening() {
        return tlsPort > 0;
    }

    /** Host written into Via and Record-Route. */
    public String advertisedHost() {
        return config.sip().advertisedHost().orElse(config.sip().host());
    }

    /** An open connection-oriented flow by its token, or null. */
    public Flow flow(String id) {
        return id == null ? null : flows.get(id);
    }

    /**
     * A flow toward a host and port: the shared UDP socket or a (reused) TCP or TLS connection. A TLS connection is
     * open once its handshake verified the server's certificate (SNI and the expected name: {@code host}); otherwise
     * the future fails with the reason.
     */
    public Future<Flow> connect(String host, int port, Transport transport) {
        if (transport == Transport.TLS) {
            String key = "tls:" + host + ":" + port;
            Flow existing = tcpByAddress.get(key);
            if (existing != null && existing.isOpen()) {
                return Future.succeededFuture(existing);
            }
            Promise<Flow> p = Promise.promise();
            tlsClient.connect(io.vertx.core.net.SocketAddress.inetSocketAddress(port, host), host)
                    .onSuccess(s -> p.complete(registerTcp(s, key, Transport.TLS)))
                    .onFailure(e -> p.fail(new java.io.IOException("TLS connection to " + host + ":" + port + " failed: " + rootMessage(e), e)));
            return p.future();
        }
        if (transport == Transport.TCP) {
            String key = host + ":" + port;
            Flow existing = tcpByAddress.get(key);
            if (existing != null && existing.isOpen()) {
                return Future.succeededFuture(existing);
            }
            Promise<Flow> p = Promise.promise();
            tcpClient.connect(port, host).onSuccess(s -> p.complete(registerTcp(s, key, Transport.TCP))).onFailure(p::fail);
            return p.future();
        }
        if (transport.isWebSocket()) {
            return Future.failedFuture("no WebSocket connection to " + host + ":" + port);
        }
        if (udp == null) {
            return Future.failedFuture("UDP disabled");
        }
        return Future.succeededFuture(new UdpFlow(udp, host, port));
    }

    // ---------------------------------------------------------------- WebSocket

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
        if (!takeConnectionSlot(source)) {
            metrics.counter("webcall_edge_rejected_connections_total", "reason", "per_source_limit").increment();
            httpError(rc, 503, "too_many_connections", "Too many connections from " + source);
            return;
        }
        Transport transport = req.isSSL() ? Transport.WSS : Transport.WS;
        req.toWebSocket().onSuccess(ws -> onWebSocket(ws, transport, source)).onFailure(e -> {
            releaseConnectionSlot(source);
            LOG.debugf("WebSocket upgrade failed: %s", e.getMessage());
        });
    }

    private void onWebSocket(ServerWebSocket ws, Transport transport, String source) {
        String id = "ws" + Long.toString(flowCounter.incrementAndGet(), 36) + SipResponses.token(8);
        WsFlow flow = new WsFlow(id, transport, ws, new RateLimiter(config.limits().requestsPerSecond(), config.limits().requestBurst()));
        flows.put(id, flow);
        metrics.counter("webcall_edge_connections_total", "transport", transport.name()).increment();
        ws.frameHandler(frame -> {
            flow.lastSeen = System.nanoTime();
            if (frame.isText() || frame.isBinary() || frame.isContinuation()) {
                // Vert.x aggregates fragmented frames in textMessageHandler; frames here are complete when final
            }
        });
        ws.textMessageHandler(text -> {
            flow.lastSeen = System.nanoTime();
            onStreamMessage(text.getBytes(StandardCharsets.UTF_8), flow, flow.limiter);
        });
        ws.binaryMessageHandler(buf -> {
            flow.lastSeen = System.nanoTime();
            onStreamMessage(buf.getBytes(), flow, flow.limiter);
        });
        ws.pongHandler(b -> flow.lastSeen = System.nanoTime());
        ws.closeHandler(v -> {
            flow.open = false;
            flows.remove(id);
            releaseConnectionSlot(source);
            core.runOnContext(x -> handler.get().onFlowClosed(flow));
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

    // ---------------------------------------------------------------- TCP

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        String m = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        return m.length() > 200 ? m.substring(0, 200) : m;
    }

    private void onTcpAccepted(NetSocket socket, Transport transport) {
        String source = socket.remoteAddress().host();
        if (!takeConnectionSlot(source)) {
            metrics.counter("webcall_edge_rejected_connections_total", "reason", "per_source_limit").increment();
            socket.close();
            return;
        }
        registerTcp(socket, null, transport);
        socket.closeHandler(v -> releaseConnectionSlot(source));
    }

    private Flow registerTcp(NetSocket socket, String outboundKey, Transport transport) {
        String id = (transport == Transport.TLS ? "tls" : "tcp") + Long.toString(flowCounter.incrementAndGet(), 36) + SipResponses.token(8);
        TcpFlow flow = new TcpFlow(id, socket, new RateLimiter(config.limits().requestsPerSecond(), config.limits().requestBurst()), transport);
        flows.put(id, flow);
        String addressKey = outboundKey != null ? outboundKey
                : (transport == Transport.TLS ? "tls:" : "") + flow.remoteHost() + ":" + flow.remotePort();
        tcpByAddress.put(addressKey, flow);
        StreamFramer framer = new StreamFramer(config.limits().maxMessageBytes(), new StreamFramer.Sink() {
            @Override
            public void message(byte[] message) {
                onStreamMessage(message, flow, flow.limiter);
            }

            @Override
            public void ping() {
                flow.sendRaw(new byte[] {'\r', '\n'});
            }

            @Override
            public void broken(byte[] head, String reason) {
                rejectUnframeable(head, reason, flow);
                flow.close();
            }
        });
        socket.handler(buf -> {
            flow.lastSeen = System.nanoTime();
            framer.feed(buf);
        });
        socket.closeHandler(v -> {
            flow.open = false;
            flows.remove(id);
            tcpByAddress.remove(addressKey, flow);
            core.runOnContext(x -> handler.get().onFlowClosed(flow));
        });
        socket.exceptionHandler(e -> LOG.debugf("TCP %s error: %s", id, e.getMessage()));
        return flow;
    }

    // ---------------------------------------------------------------- UDP

    private void onDatagram(byte[] data, String host, int port) {
        if (data.length <= 4 && isOnlyCrlf(data)) {
            return; // keep-alive on UDP needs no answer
        }
        UdpFlow flow = new UdpFlow(udp, host, port);
        RateLimiter limiter = udpLimiters.computeIfAbsent(host,
                h -> new RateLimiter(config.limits().requestsPerSecond() * 20, config.limits().requestBurst() * 20));
        onStreamMessage(data, flow, limiter);
    }

    // ---------------------------------------------------------------- common inbound path

    private void onStreamMessage(byte[] data, Flow flow, RateLimiter limiter) {
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
    private void rejectUnframeable(byte[] data, String reason, Flow flow) {
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

    private static boolean isOnlyCrlf(byte[] data) {
        for (byte b : data) {
            if (b != '\r' && b != '\n') {
                return false;
            }
        }
        return true;
    }

    private boolean takeConnectionSlot(String source) {
        AtomicInteger n = connectionsPerSource.computeIfAbsent(source, s -> new AtomicInteger());
        if (n.incrementAndGet() > config.limits().maxConnectionsPerSource()) {
            n.decrementAndGet();
            return false;
        }
        return true;
    }

    private void releaseConnectionSlot(String source) {
        AtomicInteger n = connectionsPerSource.get(source);
        if (n != null) {
            n.decrementAndGet();
        }
    }

    private void pingAndReap() {
        long idleNanos = config.sip().idleTimeout().toNanos();
        long now = System.nanoTime();
        for (Flow f : flows.values()) {
            if (f instanceof WsFlow ws) {
                if (now - ws.lastSeen > idleNanos) {
                    ws.close((short) 1001, "idle");
                } else {
                    ws.ping();
                }
            }
        }
        if (udpLimiters.size() > 10_000) {
            udpLimiters.clear();
        }
    }

    /** Number of open WebSocket and TCP connections. */
    public int openFlows() {
        return flows.size();
    }
}
