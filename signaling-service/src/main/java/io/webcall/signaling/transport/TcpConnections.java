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
        register(socket, null, transport, () -> slots.release(source));
    }

    /** The flow of a connection the edge opened toward {@code outboundKey} (the address key it is reused by). */
    Flow register(NetSocket socket, String outboundKey, Transport transport) {
        return register(socket, outboundKey, transport, null);
    }

    /**
     * The flow of a connection, accepted ({@code outboundKey} null: known by its remote address) or opened. A socket
     * has one close handler: it ends the flow (RFC 5626 section 6: the bindings and calls on it are told) and then
     * runs {@code afterClose}, if any (an accepted connection's slot).
     */
    private Flow register(NetSocket socket, String outboundKey, Transport transport, Runnable afterClose) {
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
            try {
                inbound.flowClosed(flow);
            } finally {
                if (afterClose != null) {
                    afterClose.run();
                }
            }
        });
        socket.exceptionHandler(e -> LOG.debugf("TCP %s error: %s", id, e.getMessage()));
        return flow;
    }
}
