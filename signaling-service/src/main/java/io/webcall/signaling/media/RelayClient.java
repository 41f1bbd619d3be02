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
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
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
 *
 * <p>With several relays ({@link RelayPool}) a call's first offer goes to the relay its Call-ID ranks first; when that
 * relay refuses the connection, to the next (rtpengine sets in Kamailio work alike), and every later request of the
 * call to the relay that took it.
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
    private RelayPool pool;
    private long timeoutMs;
    private long forgetTimer = -1;
    /** New calls sent to another relay because their first-ranked one refused ({@code webcall_edge_relay_failovers_total}). */
    private Counter failovers;
    /** Offers and answers sent to the relay ({@code webcall_edge_relay_requests_total{operation}}). */
    private Counter offers;
    private Counter answers;
    /** Time from sending a request to the relay to having its whole answer ({@code webcall_edge_relay_request_seconds}). */
    private Timer offerTime;
    private Timer answerTime;
    private Timer deleteTime;

    @PostConstruct
    void init() {
        pool = new RelayPool(config.media().relayUrl(), config.media().relayRetryAfter().toNanos(),
                config.media().relayForgetAfter().toNanos());
        timeoutMs = config.media().timeout().toMillis();
        // the pool limit holds per relay (Vert.x keeps one connection pool per host and port)
        client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true).setTcpNoDelay(true)
                        .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, timeoutMs)),
                new PoolOptions().setHttp1MaxSize(Math.max(1, config.media().maxConnections())));
        failovers = metrics.counter("webcall_edge_relay_failovers_total");
        metrics.gauge("webcall_edge_relays_available", this, RelayClient::relaysAvailable);
        metrics.gauge("webcall_edge_relay_calls", this, RelayClient::callsOnRelays);
        long sweep = Math.max(1000, Math.min(60_000, config.media().relayForgetAfter().toMillis() / 4));
        forgetTimer = vertx.setPeriodic(sweep, id -> pool.forgetIdle(System.nanoTime()));
        if (pool.relays().size() > 1) {
            LOG.infof("Media relays: %s", pool.relays());
        }
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

    /** Relays not skipped for new calls right now ({@code webcall_edge_relays_available}). */
    public int relaysAvailable() {
        return pool.available(System.nanoTime());
    }

    /** Calls whose relay the edge remembers ({@code webcall_edge_relay_calls}). */
    public int callsOnRelays() {
        return pool.calls();
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
        long now = System.nanoTime();
        RelayPool.Relay relay = pool.assigned(callId, now);
        if (relay != null) {
            return post(relay, callId, "offer", body, offerTime);
        }
        return offerToNew(callId, body, pool.candidates(callId, now), 0);
    }

    /**
     * The first offer of a call: its ranked relays in turn while they refuse the connection or answer 503 (no room); the
     * one that takes the offer keeps the call.
     */
    private Future<String> offerToNew(String callId, Buffer body, List<RelayPool.Relay> candidates, int index) {
        RelayPool.Relay relay = candidates.get(index);
        return post(relay, callId, "offer", body, offerTime).transform(ar -> {
            if (ar.succeeded()) {
                pool.assign(callId, relay, System.nanoTime());
                return Future.succeededFuture(ar.result());
            }
            boolean notConnected = ar.cause() instanceof NotConnected;
            // 503: the relay is up but has no room (no free RTP port); the call may fit on another
            boolean full = ar.cause() instanceof Refused r && r.status == 503;
            if (!notConnected && !full) {
                return Future.failedFuture(ar.cause().getMessage());
            }
            if (notConnected) {
                pool.markDown(relay, System.nanoTime());
            }
            if (index + 1 >= candidates.size()) {
                return Future.failedFuture(ar.cause().getMessage());
            }
            failovers.increment();
            LOG.warnf("Relay %s refused the offer of %s (%s); trying %s", relay, callId, ar.cause().getMessage(),
                    candidates.get(index + 1));
            return offerToNew(callId, body, candidates, index + 1);
        });
    }

    /** The relay a later request of the call goes to: the one that took its first offer, else its first-ranked one. */
    private RelayPool.Relay relayOf(String callId) {
        RelayPool.Relay relay = pool.assigned(callId, System.nanoTime());
        return relay != null ? relay : pool.firstRanked(callId);
    }

    /** Hands an SDP answer to the relay; the result is the answer for the offerer. */
    public Future<String> answer(String callId, String sdp, MediaKind from, MediaKind to, String fromTag, String toTag) {
        if (!anchoring()) {
            return Future.succeededFuture(sdp);
        }
        Buffer body = new RelayJson.Body(sdp == null ? 0 : sdp.length()).str("sdp", sdp).str("from", from.wire())
                .str("to", to.wire()).str("fromTag", fromTag).str("toTag", toTag).end();
        answers.increment();
        return post(relayOf(callId), callId, "answer", body, answerTime);
    }

    /** Frees the relay session of a call; nothing waits for it, failures are logged only. */
    public void delete(String callId) {
        if (!anchoring()) {
            return;
        }
        long t0 = System.nanoTime();
        RelayPool.Relay released = pool.release(callId);
        RelayPool.Relay relay = released != null ? released : pool.firstRanked(callId);
        client.request(options(relay, HttpMethod.DELETE, relay.sessionsPath + enc(callId)))
                .compose(req -> req.send().compose(HttpClientResponse::end))
                .onSuccess(v -> deleteTime.record(System.nanoTime() - t0, TimeUnit.NANOSECONDS))
                .onFailure(e -> LOG.warnf("Relay delete of %s failed: %s", callId, e.getMessage()));
    }

    private Future<String> post(RelayPool.Relay relay, String callId, String op, Buffer body, Timer time) {
        long t0 = System.nanoTime();
        RequestOptions o = options(relay, HttpMethod.POST, relay.sessionsPath + enc(callId) + "/" + op)
                .putHeader(HttpHeaders.CONTENT_TYPE, JSON);
        return client.request(o)
                // no connection to the relay: nothing reached it, so a new call may try another relay
                .transform(ar -> ar.succeeded() ? Future.succeededFuture(ar.result())
                        : Future.failedFuture(new NotConnected(relay, ar.cause())))
                .compose(req -> req.send(body))
                .compose(r -> r.body().compose(b -> {
                    time.record(System.nanoTime() - t0, TimeUnit.NANOSECONDS);
                    if (r.statusCode() != 200) {
                        return Future.failedFuture(new Refused(r.statusCode(), "relay " + op + " answered " + r.statusCode()
                                + ": " + b));
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

    private RequestOptions options(RelayPool.Relay relay, HttpMethod method, String uri) {
        // connect timeout here also bounds the wait for a pooled connection; timeout bounds the wait for the answer
        return new RequestOptions().setMethod(method).setHost(relay.host).setPort(relay.port).setSsl(relay.tls)
                .setURI(uri).setConnectTimeout(timeoutMs).setTimeout(timeoutMs);
    }

    @PreDestroy
    void stop() {
        if (forgetTimer >= 0) {
            vertx.cancelTimer(forgetTimer);
        }
    }

    /** The relay answered with an error status. */
    private static final class Refused extends RuntimeException {
        final int status;

        Refused(int status, String message) {
            super(message, null, false, false);
            this.status = status;
        }
    }

    /** No connection to a relay could be had (refused, unreachable, timed out connecting): the request never reached it. */
    private static final class NotConnected extends RuntimeException {
        NotConnected(RelayPool.Relay relay, Throwable cause) {
            super("no connection to relay " + relay + ": " + cause.getMessage(), cause, false, false);
        }
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
