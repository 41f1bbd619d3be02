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
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.webcall.signaling.EdgeConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The edge's SIP transports (RFC 3261 section 18): starts the UDP and TCP listeners on one port, the optional TLS
 * listener and the clients toward TCP and TLS peers, and stops them; knows the ports and host written into Via and
 * Record-Route, the open flows by token and the core event loop; opens or reuses the flow toward a next hop; pings
 * WebSockets and closes idle ones. Datagrams are received here; SIP over WebSocket is {@link WebSocketListener}'s,
 * TCP and TLS connections are {@link TcpConnections}', and every message takes the {@link InboundMessages} path.
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
    @Inject
    ConnectionSlots slots;

    private Context core;
    private DatagramSocket udp;
    private NetServer tcpServer;
    private NetClient tcpClient;
    /** TLS toward PBX trunks (RFC 3261 section 26.2) and the optional TLS listener for them. */
    private NetClient tlsClient;
    private NetServer tlsServer;
    private int tlsPort = -1;
    private int sipPort;
    private final FlowTable flows = new FlowTable();
    private final Map<String, RateLimiter> udpLimiters = new ConcurrentHashMap<>();
    private long pingTimer = -1;
    private InboundMessages inbound;
    private TcpConnections tcp;

    void onStart(@Observes StartupEvent ev) throws Exception {
        // a duplicated context (same event loop, own local data): Quarkus keeps the logging MDC in a duplicated
        // context's local data, so only there does the Call-ID put into the MDC reach the log records
        core = io.smallrye.common.vertx.VertxContext.createNewDuplicatedContext(vertx.getOrCreateContext());
        inbound = new InboundMessages(config, metrics, handler, core);
        tcp = new TcpConnections(config, metrics, flows, slots, inbound);
        int port = bind(config.sip().port());
        sipPort = port;
        tcpClient = vertx.createNetClient(new NetClientOptions().setConnectTimeout(3000));
        tlsClient = vertx.createNetClient(SipTls.clientOptions(config.sip().tls()));
        if (config.sip().tls().listen()) {
            tlsServer = vertx.createNetServer(SipTls.serverOptions(config.sip(), (int) config.sip().idleTimeout().toSeconds() * 4));
            tlsServer.connectHandler(s -> tcp.accepted(s, Transport.TLS));
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
                    tcpServer.connectHandler(s -> tcp.accepted(s, Transport.TCP));
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
        return connect(host, port, transport, host);
    }

    /**
     * Like {@link #connect(String, int, Transport)}; a TLS connection expects {@code serverName} in the server's
     * certificate and sends it as SNI (the trunk's domain when {@code host} came from its SRV records, RFC 5922
     * section 4).
     */
    public Future<Flow> connect(String host, int port, Transport transport, String serverName) {
        if (transport == Transport.TLS) {
            // one connection per address and expected name (the same address may serve several trunk domains)
            String key = "tls:" + (serverName.equals(host) ? "" : serverName + "@") + host + ":" + port;
            Flow existing = flows.byAddress(key);
            if (existing != null && existing.isOpen()) {
                return Future.succeededFuture(existing);
            }
            Promise<Flow> p = Promise.promise();
            tlsClient.connect(io.vertx.core.net.SocketAddress.inetSocketAddress(port, host), serverName)
                    .onSuccess(s -> p.complete(tcp.register(s, key, Transport.TLS)))
                    .onFailure(e -> p.fail(new java.io.IOException("TLS connection to " + host + ":" + port + " failed: " + rootMessage(e), e)));
            return p.future();
        }
        if (transport == Transport.TCP) {
            String key = host + ":" + port;
            Flow existing = flows.byAddress(key);
            if (existing != null && existing.isOpen()) {
                return Future.succeededFuture(existing);
            }
            Promise<Flow> p = Promise.promise();
            tcpClient.connect(port, host).onSuccess(s -> p.complete(tcp.register(s, key, Transport.TCP))).onFailure(p::fail);
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

    /** The innermost cause's message (a TLS handshake failure names the refused certificate there), at most 200 chars. */
    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        String m = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        return m.length() > 200 ? m.substring(0, 200) : m;
    }

    /** The open connection-oriented flows. */
    FlowTable flows() {
        return flows;
    }

    /** The inbound path every transport hands what it receives to. */
    InboundMessages inbound() {
        return inbound;
    }

    // ---------------------------------------------------------------- UDP

    /** A datagram: one message, limited per source host at 20 times a connection's request rate. */
    private void onDatagram(byte[] data, String host, int port) {
        if (data.length <= 4 && InboundMessages.isOnlyCrlf(data)) {
            return; // keep-alive on UDP needs no answer
        }
        UdpFlow flow = new UdpFlow(udp, host, port);
        RateLimiter limiter = udpLimiters.computeIfAbsent(host,
                h -> new RateLimiter(config.limits().requestsPerSecond() * 20, config.limits().requestBurst() * 20));
        inbound.receive(data, flow, limiter);
    }

    /** Pings every WebSocket (RFC 6455 section 5.5.2) and closes those silent for the idle timeout. */
    private void pingAndReap() {
        long idleNanos = config.sip().idleTimeout().toNanos();
        long now = System.nanoTime();
        for (Flow f : flows.all()) {
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
