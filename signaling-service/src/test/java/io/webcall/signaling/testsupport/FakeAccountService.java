package io.webcall.signaling.testsupport;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.jose4j.jwk.EcJwkGenerator;
import org.jose4j.jwk.EllipticCurveJsonWebKey;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.keys.EllipticCurves;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Stands in for the account service (a separate module with its own database) in the edge's tests: a real HTTP
 * server on a free loopback port serving the contract's internal endpoints (tenant by domain, tenants by PBX
 * address, digest credentials) and the JWKS, and signing ES256 access tokens with the claims the contract fixes.
 * The only fake in the edge's tests; everything else is a real peer.
 */
public final class FakeAccountService implements AutoCloseable {

    public static final String DOMAIN = "demo.localhost";
    public static final String OTHER_DOMAIN = "other.localhost";
    public static final String TENANT_ID = "6f1d3c1e-6a57-4d3f-9d0b-3f3c1b2a9e01";
    public static final String OTHER_TENANT_ID = "0b6f3f8e-2c1d-4a8e-9f51-7e1c2d3b4a05";
    public static final String INTERNAL_TOKEN = "internal-test-token";
    public static final String PASSWORD = "demo";
    public static final String ISSUER = "webcall-account";

    private final HttpServer server;
    private final EllipticCurveJsonWebKey key;
    private final Map<String, JsonObject> pbxByDomain = new ConcurrentHashMap<>();
    public final AtomicInteger credentialLookups = new AtomicInteger();

    public FakeAccountService() throws Exception {
        key = EcJwkGenerator.generateJwk(EllipticCurves.P256);
        key.setKeyId("k-" + UUID.randomUUID());
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/.well-known/jwks.json", ex -> send(ex, 200,
                new JsonObject().put("keys", new JsonArray().add(new JsonObject(key.toJson(JsonWebKey.OutputControlLevel.PUBLIC_ONLY))))));
        server.createContext("/v1/internal/", this::internal);
        server.start();
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Sets (or with null removes) the PBX trunk of the demo tenant. */
    public void setPbx(String domain, String uri, String transport, String username, String password) {
        if (uri == null) {
            pbxByDomain.remove(domain);
        } else {
            pbxByDomain.put(domain, new JsonObject().put("uri", uri).put("transport", transport)
                    .put("username", username).put("password", password));
        }
    }

    /** An access token for {@code user} of {@code domain}, valid for {@code ttlSeconds}. */
    public String token(String user, String domain, long ttlSeconds) {
        try {
            JwtClaims c = new JwtClaims();
            c.setIssuer(ISSUER);
            c.setSubject(user);
            c.setClaim("tenant", domain.equals(DOMAIN) ? TENANT_ID : OTHER_TENANT_ID);
            c.setClaim("domain", domain);
            c.setClaim("aor", "sip:" + user + "@" + domain);
            c.setClaim("grants", List.of("outgoing", "incoming"));
            c.setIssuedAtToNow();
            c.setExpirationTimeMinutesInTheFuture(ttlSeconds / 60f);
            c.setGeneratedJwtId();
            JsonWebSignature jws = new JsonWebSignature();
            jws.setPayload(c.toJson());
            jws.setKey(key.getPrivateKey());
            jws.setKeyIdHeaderValue(key.getKeyId());
            jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256);
            return jws.getCompactSerialization();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public String token(String user) {
        return token(user, DOMAIN, 600);
    }

    private void internal(HttpExchange ex) throws IOException {
        String auth = ex.getRequestHeaders().getFirst("Authorization");
        if (!("Bearer " + INTERNAL_TOKEN).equals(auth)) {
            send(ex, 401, error("unauthorized", "internal token required"));
            return;
        }
        String path = ex.getRequestURI().getPath();
        String query = ex.getRequestURI().getQuery();
        if (path.startsWith("/v1/internal/tenants/by-domain/")) {
            String domain = URLDecoder.decode(path.substring("/v1/internal/tenants/by-domain/".length()), StandardCharsets.UTF_8);
            JsonObject t = tenant(domain);
            send(ex, t == null ? 404 : 200, t == null ? error("not_found", "unknown domain " + domain) : t);
        } else if (path.equals("/v1/internal/tenants/by-pbx-address")) {
            Map<String, String> q = new java.util.HashMap<>();
            for (String p : query == null ? new String[0] : query.split("&")) {
                String[] kv = p.split("=", 2);
                q.put(kv[0], kv.length > 1 ? URLDecoder.decode(kv[1], StandardCharsets.UTF_8) : "");
            }
            JsonArray out = new JsonArray();
            for (String domain : List.of(DOMAIN, OTHER_DOMAIN)) {
                JsonObject pbx = pbxByDomain.get(domain);
                if (pbx != null && pbx.getString("uri").contains(q.get("host") + ":" + q.get("port"))) {
                    out.add(tenant(domain));
                }
            }
            send(ex, 200, out);
        } else if (path.startsWith("/v1/internal/credentials/")) {
            credentialLookups.incrementAndGet();
            String[] parts = path.substring("/v1/internal/credentials/".length()).split("/");
            String domain = parts[0];
            String user = parts.length > 1 ? parts[1] : "";
            if (tenant(domain) == null || !List.of("alice", "bob", "carol").contains(user)) {
                send(ex, 404, error("not_found", "unknown user"));
                return;
            }
            send(ex, 200, new JsonObject().put("tenantId", domain.equals(DOMAIN) ? TENANT_ID : OTHER_TENANT_ID)
                    .put("domain", domain).put("username", user).put("displayName", user).put("enabled", true)
                    .put("ha1Md5", hash("MD5", user + ":" + domain + ":" + PASSWORD))
                    .put("ha1Sha256", hash("SHA-256", user + ":" + domain + ":" + PASSWORD)).put("realm", domain));
        } else {
            send(ex, 404, error("not_found", "no such endpoint"));
        }
    }

    private JsonObject tenant(String domain) {
        if (!domain.equals(DOMAIN) && !domain.equals(OTHER_DOMAIN)) {
            return null;
        }
        return new JsonObject().put("id", domain.equals(DOMAIN) ? TENANT_ID : OTHER_TENANT_ID).put("name", domain)
                .put("domain", domain).put("status", "active").put("pbx", pbxByDomain.get(domain));
    }

    private static JsonObject error(String code, String message) {
        return new JsonObject().put("error", code).put("message", message).putNull("field");
    }

    private static void send(HttpExchange ex, int status, Object body) throws IOException {
        byte[] b = body.toString().getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", "application/json");
        ex.sendResponseHeaders(status, b.length);
        ex.getResponseBody().write(b);
        ex.close();
    }

    static String hash(String alg, String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance(alg).digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
