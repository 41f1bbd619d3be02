package io.webcall.signaling.media;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.webcall.signaling.EdgeConfig;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * Client of the media relay's control API (offer/answer/delete, like rtpengine's ng protocol). With
 * {@code webcall.edge.media.anchor=false} SDP passes through unchanged and nothing is sent to the relay.
 *
 * <p>Requests go out on a plain Vert.x {@link HttpClient} (HTTP/1.1 keep-alive, TCP_NODELAY, up to
 * {@code webcall.edge.media.max-connections} connections, one request at a time on each: HTTP/1.1 answers in order,
 * so a pipelined offer would wait behind another call's request on the same connection). Its connections live on the
 * event loop of the caller, the SIP core, so a response is handled where it arrives. Bodies are written and read
 * without a JSON tree ({@link RelayJson}). A relay session is freed with a DELETE that nothing waits for.
 */
@ApplicationScoped
public class RelayClient {

    private static final Logger LOG = Logger.getLogger(RelayClient.class);
    private static final CharSequence JSON = HttpHeaders.createOptimized("application/json");

    @Inject
    Vertx vertx;
    @Inject
    EdgeConfig config;
    @Inject
    MeterRegistry metrics;

    private HttpClient client;
    private String host;
    private int port;
    private String basePath;
    private long timeoutMs;
    /** Offers and answers sent to the relay ({@code webcall_edge_relay_requests_total{operation}}). */
    private Counter offers;
    private Counter answers;
    /** Time from sending a request to the relay to having its whole answer ({@code webcall_edge_relay_request_seconds}). */
    private Timer offerTime;
    private Timer answerTime;
    private Timer deleteTime;

    @PostConstruct
    void init() {
        URI url = URI.create(config.media().relayUrl());
        boolean tls = "https".equalsIgnoreCase(url.getScheme());
        host = url.getHost();
        port = url.getPort() > 0 ? url.getPort() : tls ? 443 : 80;
        String path = url.getRawPath() == null ? "" : url.getRawPath();
        basePath = (path.endsWith("/") ? path.substring(0, path.length() - 1) : path) + "/v1/sessions/";
        timeoutMs = config.media().timeout().toMillis();
        client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true).setTcpNoDelay(true).setSsl(tls)
                        .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, timeoutMs)),
                new PoolOptions().setHttp1MaxSize(Math.max(1, config.media().maxConnections())));
        offers = metrics.counter("webcall_edge_relay_requests_total", "operation", "offer");
        answers = metrics.counter("webcall_edge_relay_requests_total", "operation", "answer");
        offerTime = timer("offer");
        answerTime = timer("answer");
        deleteTime = timer("delete");
    }

    private Timer timer(String operation) {
        return Timer.builder("webcall_edge_relay_request_seconds").description("Relay control requests, sent to answered")
                .tag("operation", operation).register(metrics);
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
        Buffer body = new RelayJson.Body(sdp == null ? 0 : sdp.length()).str("sdp", sdp).str("from", from.wire())
                .str("to", to.wire()).str("fromTag", fromTag).bool("iceRestart", iceRestart).end();
        offers.increment();
        return post(callId, "offer", body, offerTime);
    }

    /** Hands an SDP answer to the relay; the result is the answer for the offerer. */
    public Future<String> answer(String callId, String sdp, MediaKind from, MediaKind to, String fromTag, String toTag) {
        if (!anchoring()) {
            return Future.succeededFuture(sdp);
        }
        Buffer body = new RelayJson.Body(sdp == null ? 0 : sdp.length()).str("sdp", sdp).str("from", from.wire())
                .str("to", to.wire()).str("fromTag", fromTag).str("toTag", toTag).end();
        answers.increment();
        return post(callId, "answer", body, answerTime);
    }

    /** Frees the relay session of a call; nothing waits for it, failures are logged only. */
    public void delete(String callId) {
        if (!anchoring()) {
            return;
        }
        long t0 = System.nanoTime();
        client.request(options(HttpMethod.DELETE, basePath + enc(callId)))
                .compose(req -> req.send().compose(HttpClientResponse::end))
                .onSuccess(v -> deleteTime.record(System.nanoTime() - t0, TimeUnit.NANOSECONDS))
                .onFailure(e -> LOG.warnf("Relay delete of %s failed: %s", callId, e.getMessage()));
    }

    private Future<String> post(String callId, String op, Buffer body, Timer time) {
        long t0 = System.nanoTime();
        RequestOptions o = options(HttpMethod.POST, basePath + enc(callId) + "/" + op)
                .putHeader(HttpHeaders.CONTENT_TYPE, JSON);
        return client.request(o)
                .compose(req -> req.send(body))
                .compose(r -> r.body().compose(b -> {
                    time.record(System.nanoTime() - t0, TimeUnit.NANOSECONDS);
                    if (r.statusCode() != 200) {
                        return Future.failedFuture("relay " + op + " answered " + r.statusCode() + ": " + b);
                    }
                    String sdp;
                    try {
                        sdp = RelayJson.stringField(b, "sdp");
                    } catch (IllegalArgumentException e) {
                        return Future.failedFuture("relay " + op + " returned " + e.getMessage());
                    }
                    return sdp == null ? Future.failedFuture("relay " + op + " returned no sdp") : Future.succeededFuture(sdp);
                }));
    }

    private RequestOptions options(HttpMethod method, String uri) {
        // connect timeout here also bounds the wait for a pooled connection; timeout bounds the wait for the answer
        return new RequestOptions().setMethod(method).setHost(host).setPort(port).setURI(uri)
                .setConnectTimeout(timeoutMs).setTimeout(timeoutMs);
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
