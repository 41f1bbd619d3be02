package io.webcall.signaling.bench;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.datagram.DatagramSocket;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * One SIP connection of the load client: a WebSocket (RFC 7118, subprotocol {@code sip}) or a UDP socket, with
 * incoming messages dispatched by Call-ID to whoever waits for them. Runs on a Vert.x event loop, no thread of
 * its own.
 */
final class SipChannel {

    private final WebSocket ws;
    private final DatagramSocket udp;
    private final String udpHost;
    private final int udpPort;
    private final Map<String, Consumer<SipText>> byCallId = new ConcurrentHashMap<>();
    final String transport;
    final String localHost;
    final int localPort;

    private SipChannel(WebSocket ws, DatagramSocket udp, String udpHost, int udpPort) {
        this.ws = ws;
        this.udp = udp;
        this.udpHost = udpHost;
        this.udpPort = udpPort;
        if (ws != null) {
            transport = "WS";
            localHost = ws.localAddress().host();
            localPort = ws.localAddress().port();
            ws.textMessageHandler(t -> dispatch(new SipText(t)));
            ws.exceptionHandler(e -> { });
        } else {
            transport = "UDP";
            localHost = udp.localAddress().host();
            localPort = udp.localAddress().port();
            udp.handler(p -> dispatch(new SipText(p.data().toString())));
        }
    }

    static Future<SipChannel> ws(WebSocketClient client, int port, String path) {
        return client.connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port).setURI(path)
                .addSubProtocol("sip")).map(w -> new SipChannel(w, null, null, 0));
    }

    static Future<SipChannel> udp(Vertx vertx, int targetPort) {
        DatagramSocket s = vertx.createDatagramSocket();
        return s.listen(0, "127.0.0.1").map(x -> new SipChannel(null, s, "127.0.0.1", targetPort));
    }

    /** Sends a request and calls {@code handler} with every message of that Call-ID until {@link #forget}. */
    void send(String message) {
        if (ws != null) {
            ws.writeTextMessage(message);
        } else {
            udp.send(message, udpPort, udpHost);
        }
    }

    void on(String callId, Consumer<SipText> handler) {
        byCallId.put(callId, handler);
    }

    void forget(String callId) {
        byCallId.remove(callId);
    }

    /** Our Via sent-by and transport for requests on this channel. */
    String via(String branch) {
        return "Via: SIP/2.0/" + transport + " " + (ws != null ? "bench.invalid" : localHost + ":" + localPort)
                + ";rport;branch=" + branch + "\r\n";
    }

    String contact(String user) {
        return ws != null ? "<sip:" + user + "-" + localPort + "@bench.invalid;transport=ws>" : "<sip:" + user + "@" + localHost + ":" + localPort + ">";
    }

    private void dispatch(SipText m) {
        Consumer<SipText> h = byCallId.get(m.header("Call-ID"));
        if (h != null) {
            h.accept(m);
        }
    }

    Future<Void> close() {
        Promise<Void> p = Promise.promise();
        if (ws != null) {
            ws.close().onComplete(x -> p.tryComplete());
        } else {
            udp.close().onComplete(x -> p.tryComplete());
        }
        return p.future();
    }
}
