package io.webcall.signaling.transport;

import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.net.NetSocket;
import io.webcall.signaling.EdgeConfig;
import org.jboss.logging.Logger;

/**
 * SIP over TCP and TLS connections (RFC 3261 section 18), accepted or opened by the edge: each is a flow in the
 * {@link FlowTable}, framed into messages by Content-Length ({@link StreamFramer}, CRLF keep-alives answered, RFC
 * 5626 section 4.4.1), and accepted ones count against the connection limit of their source.
 */
final class TcpConnections {

    private static final Logger LOG = Logger.getLogger(TcpConnections.class);

    private final EdgeConfig config;
    private final MeterRegistry metrics;
    private final FlowTable flows;
    private final ConnectionSlots slots;
    private final InboundMessages inbound;

    TcpConnections(EdgeConfig config, MeterRegistry metrics, FlowTable flows, ConnectionSlots slots, InboundMessages inbound) {
        this.config = config;
        this.metrics = metrics;
        this.flows = flows;
        this.slots = slots;
        this.inbound = inbound;
    }

    /** A connection a peer opened to the TCP or TLS listener. */
    void accepted(NetSocket socket, Transport transport) {
        String source = socket.remoteAddress().host();
        if (!slots.take(source)) {
            metrics.counter("webcall_edge_rejected_connections_total", "reason", "per_source_limit").increment();
            socket.close();
            return;
        }
        register(socket, null, transport);
        socket.closeHandler(v -> slots.release(source));
    }

    /**
     * The flow of a connection, accepted or opened toward {@code outboundKey} (the address key it is reused by; null
     * for an accepted one, which is known by its remote address).
     */
    Flow register(NetSocket socket, String outboundKey, Transport transport) {
        String id = flows.newId(transport == Transport.TLS ? "tls" : "tcp");
        TcpFlow flow = new TcpFlow(id, socket, new RateLimiter(config.limits().requestsPerSecond(), config.limits().requestBurst()), transport);
        flows.add(id, flow);
        String addressKey = outboundKey != null ? outboundKey
                : (transport == Transport.TLS ? "tls:" : "") + flow.remoteHost() + ":" + flow.remotePort();
        flows.addAddress(addressKey, flow);
        StreamFramer framer = new StreamFramer(config.limits().maxMessageBytes(), new StreamFramer.Sink() {
            @Override
            public void message(byte[] message) {
                inbound.receive(message, flow, flow.limiter);
            }

            @Override
            public void ping() {
                flow.sendRaw(new byte[] {'\r', '\n'});
            }

            @Override
            public void broken(byte[] head, String reason) {
                inbound.rejectUnframeable(head, reason, flow);
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
            flows.removeAddress(addressKey, flow);
            inbound.flowClosed(flow);
        });
        socket.exceptionHandler(e -> LOG.debugf("TCP %s error: %s", id, e.getMessage()));
        return flow;
    }
}
