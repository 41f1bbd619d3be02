package io.webcall.signaling.media;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.webcall.signaling.EdgeConfig;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * Client of the media relay's control API (offer/answer/delete, like rtpengine's ng protocol). With
 * {@code webcall.edge.media.anchor=false} SDP passes through unchanged and nothing is sent to the relay.
 */
@ApplicationScoped
public class RelayClient {

    private static final Logger LOG = Logger.getLogger(RelayClient.class);

    @Inject
    Vertx vertx;
    @Inject
    EdgeConfig config;
    @Inject
    MeterRegistry metrics;

    private WebClient client;
    /** Offers and answers sent to the relay ({@code webcall_edge_relay_requests_total{operation}}). */
    private Counter offers;
    private Counter answers;

    @PostConstruct
    void init() {
        client = WebClient.create(vertx, new WebClientOptions().setKeepAlive(true).setConnectTimeout(3000));
        offers = metrics.counter("webcall_edge_relay_requests_total", "operation", "offer");
        answers = metrics.counter("webcall_edge_relay_requests_total", "operation", "answer");
    }

    public boolean anchoring() {
        return config.media().anchor();
    }

    /**
     * Hands an SDP offer to the relay; the result is the offer for the other side, or for {@code to=echo}
     * the relay's answer to the offerer.
     */
    public Future<String> offer(String callId, String sdp, MediaKind from, MediaKind to, String fromTag, boolean iceRestart) {
        if (!anchoring()) {
            if (to == MediaKind.ECHO) {
                return Future.failedFuture("the echo service needs the media relay (webcall.edge.media.anchor=true)");
            }
            return Future.succeededFuture(sdp);
        }
        JsonObject body = new JsonObject().put("sdp", sdp).put("from", from.wire()).put("to", to.wire())
                .put("fromTag", fromTag).put("iceRestart", iceRestart);
        offers.increment();
        return post(callId, "offer", body);
    }

    /** Hands an SDP answer to the relay; the result is the answer for the offerer. */
    public Future<String> answer(String callId, String sdp, MediaKind from, MediaKind to, String fromTag, String toTag) {
        if (!anchoring()) {
            return Future.succeededFuture(sdp);
        }
        JsonObject body = new JsonObject().put("sdp", sdp).put("from", from.wire()).put("to", to.wire())
                .put("fromTag", fromTag).put("toTag", toTag);
        answers.increment();
        return post(callId, "answer", body);
    }

    /** Frees the relay session of a call; failures are logged only. */
    public void delete(String callId) {
        if (!anchoring()) {
            return;
        }
        client.deleteAbs(config.media().relayUrl() + "/v1/sessions/" + enc(callId))
                .timeout(config.media().timeout().toMillis()).send()
                .onFailure(e -> LOG.warnf("Relay delete of %s failed: %s", callId, e.getMessage()));
    }

    private Future<String> post(String callId, String op, JsonObject body) {
        return client.postAbs(config.media().relayUrl() + "/v1/sessions/" + enc(callId) + "/" + op)
                .timeout(config.media().timeout().toMillis())
                .sendJsonObject(body)
                .compose(r -> {
                    if (r.statusCode() != 200) {
                        String msg = r.bodyAsString();
                        return Future.failedFuture("relay " + op + " answered " + r.statusCode() + ": " + msg);
                    }
                    String sdp = r.bodyAsJsonObject().getString("sdp");
                    return sdp == null ? Future.failedFuture("relay " + op + " returned no sdp") : Future.succeededFuture(sdp);
                });
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
