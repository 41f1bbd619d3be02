package io.webcall.signaling.transport;

import io.quarkus.vertx.http.HttpServerOptionsCustomizer;
import io.vertx.core.http.HttpServerOptions;
import io.webcall.signaling.EdgeConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/** Declares the {@code sip} WebSocket subprotocol (RFC 7118 section 4) and the frame size limits on the HTTP server. */
@ApplicationScoped
public class WebSocketServerOptions implements HttpServerOptionsCustomizer {

    @Inject
    EdgeConfig config;

    @Override
    public void customizeHttpServer(HttpServerOptions options) {
        apply(options);
    }

    @Override
    public void customizeHttpsServer(HttpServerOptions options) {
        apply(options);
    }

    private void apply(HttpServerOptions options) {
        options.addWebSocketSubProtocol("sip");
        // larger than the SIP limit so over-sized messages reach the edge and get a SIP 513 answer
        int max = config.limits().maxMessageBytes() * 2;
        options.setMaxWebSocketFrameSize(max);
        options.setMaxWebSocketMessageSize(max);
    }
}
