package io.webcall.signaling.tenant;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.core.buffer.Buffer;
import io.webcall.signaling.EdgeConfig;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Non-blocking client of the account service: tenants by domain and by PBX address, digest credentials and
 * the JWKS. Answers (including "not found") are cached for {@code webcall.edge.account.cache-ttl}.
 */
@ApplicationScoped
public class AccountClient {

    @Inject
    Vertx vertx;
    @Inject
    EdgeConfig config;
    @ConfigProperty(name = "webcall.internal.token")
    Optional<String> internalToken;

    private WebClient client;
    private final Map<String, Cached<?>> cache = new ConcurrentHashMap<>();

    private record Cached<T>(long expiresAt, Future<T> value) {
    }

    @PostConstruct
    void init() {
        client = WebClient.create(vertx, new WebClientOptions().setKeepAlive(true).setConnectTimeout(3000)
                .setTcpNoDelay(true).setMaxPoolSize(Math.max(1, config.account().maxConnections()))
                // several lookups in flight per connection (HTTP/1.1 pipelining, which the account service's Vert.x
                // server answers in order): a burst of new users is not limited to one round trip per connection
                .setPipelining(true).setPipeliningLimit(4));
    }

    /** The tenant owning a SIP domain; succeeds with null when the domain is unknown. */
    public Future<Tenant> tenantByDomain(String domain) {
        return cached("tenant:" + domain, () -> get("/v1/internal/tenants/by-domain/" + enc(domain),
                r -> r.statusCode() == 404 ? null : Tenant.fromJson(r.bodyAsJsonObject())));
    }

    /** Tenants whose PBX trunk is at this address (RFC 3261 section 18.2.1 source address). */
    public Future<List<Tenant>> tenantsByPbx(String host, int port) {
        return cached("pbx:" + host + ":" + port, () -> get("/v1/internal/tenants/by-pbx-address?host=" + enc(host) + "&port=" + port,
                r -> {
                    List<Tenant> out = new ArrayList<>();
                    if (r.statusCode() == 200) {
                        JsonArray a = r.bodyAsJsonArray();
                        for (int i = 0; i < a.size(); i++) {
                            out.add(Tenant.fromJson(a.getJsonObject(i)));
                        }
                    }
                    return out;
                }));
    }

    /** Digest credentials of a user; succeeds with null when the user is unknown. */
    public Future<Credentials> credentials(String domain, String username) {
        return cached("cred:" + domain + "/" + username, () -> get("/v1/internal/credentials/" + enc(domain) + "/" + enc(username),
                r -> r.statusCode() == 404 ? null : Credentials.fromJson(r.bodyAsJsonObject())));
    }

    /** The account service's public signing keys ({@code /.well-known/jwks.json}), uncached. */
    public Future<JsonObject> jwks() {
        return get("/.well-known/jwks.json", HttpResponse::bodyAsJsonObject);
    }

    /** Drops every cached answer (tests and configuration changes). */
    public void invalidate() {
        cache.clear();
    }

    @SuppressWarnings("unchecked")
    private <T> Future<T> cached(String key, java.util.function.Supplier<Future<T>> load) {
        long now = System.nanoTime();
        Cached<?> c = cache.get(key);
        if (c != null && c.expiresAt > now && !c.value.failed()) {
            return (Future<T>) c.value;
        }
        if (cache.size() >= config.account().cacheSize()) {
            evict(now);
        }
        Future<T> f = load.get();
        cache.put(key, new Cached<>(now + config.account().cacheTtl().toNanos(), f));
        return f;
    }

    /** Makes room: drops expired and failed answers, and when that is not enough, the oldest half. */
    private void evict(long now) {
        cache.values().removeIf(c -> c.expiresAt <= now || c.value.failed());
        int max = config.account().cacheSize();
        if (cache.size() >= max) {
            long[] expiries = cache.values().stream().mapToLong(Cached::expiresAt).sorted().toArray();
            long cut = expiries[expiries.length / 2];
            cache.values().removeIf(c -> c.expiresAt <= cut);
        }
    }

    private <T> Future<T> get(String path, Function<HttpResponse<Buffer>, T> map) {
        // the timeout bounds the account service's answer once the request is sent; waiting for a pooled connection
        // (a burst of new users on a cold edge) has its own, longer bound, so a queued lookup is not failed as an outage
        long timeout = config.account().timeout().toMillis();
        var req = client.getAbs(config.account().url() + path).idleTimeout(timeout).connectTimeout(Math.max(10_000, 3 * timeout));
        internalToken.ifPresent(t -> req.putHeader("Authorization", "Bearer " + t));
        return req.send().compose(r -> {
            if (r.statusCode() >= 500 || r.statusCode() == 401 || r.statusCode() == 403) {
                return Future.failedFuture("account service answered " + r.statusCode() + " for " + path);
            }
            try {
                return Future.succeededFuture(map.apply(r));
            } catch (RuntimeException e) {
                return Future.failedFuture(e);
            }
        });
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
