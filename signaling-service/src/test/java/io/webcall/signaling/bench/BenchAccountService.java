package io.webcall.signaling.bench;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.jose4j.jwk.EcJwkGenerator;
import org.jose4j.jwk.EllipticCurveJsonWebKey;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.keys.EllipticCurves;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * The account service's internal API as the benchmark needs it, in the benchmark's JVM: the JWKS, tenant by
 * domain (one tenant whose PBX trunk is the sipp UAS), digest credentials for any user name with one password,
 * and ES256 access tokens with the contract's claims. The edge caches every answer, so what is measured is the
 * edge, not this server; thousands of distinct users need no database rows. It answers on its own Vert.x event loop
 * with TCP_NODELAY, like the real (Quarkus) account service, so a burst of new users is not held up by this stand-in.
 */
final class BenchAccountService implements AutoCloseable {

    static final String DOMAIN = "demo.localhost";
    static final String TENANT_ID = "6f1d3c1e-6a57-4d3f-9d0b-3f3c1b2a9e01";
    static final String INTERNAL_TOKEN = "bench-internal-" + UUID.randomUUID();
    static final String PASSWORD = "demo";

    private final Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(1));
    private final HttpServer server;
    private final EllipticCurveJsonWebKey key;
    private volatile String pbxUri;

    BenchAccountService() throws Exception {
        key = EcJwkGenerator.generateJwk(EllipticCurves.P256);
        key.setKeyId("k-" + UUID.randomUUID());
        JsonObject jwks = new JsonObject().put("keys", new JsonArray().add(new JsonObject(key.toJson(JsonWebKey.OutputControlLevel.PUBLIC_ONLY))));
        server = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0).setTcpNoDelay(true))
                .requestHandler(req -> {
                    if (req.path().equals("/.well-known/jwks.json")) {
                        send(req, 200, jwks);
                    } else if (req.path().startsWith("/v1/internal/")) {
                        internal(req);
                    } else {
                        send(req, 404, error("not_found", "no such endpoint"));
                    }
                });
        server.listen().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    String url() {
        return "http://127.0.0.1:" + server.actualPort();
    }

    void setPbx(String uri) {
        pbxUri = uri;
    }

    /** An access token for {@code user} of the benchmark tenant, valid for an hour. */
    String token(String user) {
        try {
            JwtClaims c = new JwtClaims();
            c.setIssuer("webcall-account");
            c.setSubject(user);
            c.setClaim("tenant", TENANT_ID);
            c.setClaim("domain", DOMAIN);
            c.setClaim("aor", "sip:" + user + "@" + DOMAIN);
            c.setClaim("grants", List.of("outgoing", "incoming"));
            c.setIssuedAtToNow();
            c.setExpirationTimeMinutesInTheFuture(60);
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

    private void internal(HttpServerRequest ex) {
        if (!("Bearer " + INTERNAL_TOKEN).equals(ex.getHeader("Authorization"))) {
            send(ex, 401, error("unauthorized", "internal token required"));
            return;
        }
        String path = ex.path();
        if (path.equals("/v1/internal/tenants/by-domain/" + DOMAIN)) {
            send(ex, 200, tenant());
        } else if (path.equals("/v1/internal/tenants/by-pbx-address")) {
            send(ex, 200, new JsonArray().add(tenant()));
        } else if (path.startsWith("/v1/internal/credentials/" + DOMAIN + "/")) {
            String user = path.substring(("/v1/internal/credentials/" + DOMAIN + "/").length());
            send(ex, 200, new JsonObject().put("tenantId", TENANT_ID).put("domain", DOMAIN).put("username", user)
                    .put("displayName", user).put("enabled", true)
                    .put("ha1Md5", hash("MD5", user + ":" + DOMAIN + ":" + PASSWORD))
                    .put("ha1Sha256", hash("SHA-256", user + ":" + DOMAIN + ":" + PASSWORD)).put("realm", DOMAIN));
        } else {
            send(ex, 404, error("not_found", "no such tenant or endpoint"));
        }
    }

    private JsonObject tenant() {
        JsonObject pbx = pbxUri == null ? null : new JsonObject().put("uri", pbxUri).put("transport", "udp")
                .putNull("username").putNull("password");
        return new JsonObject().put("id", TENANT_ID).put("name", "bench").put("domain", DOMAIN).put("status", "active").put("pbx", pbx);
    }

    private static JsonObject error(String code, String message) {
        return new JsonObject().put("error", code).put("message", message).putNull("field");
    }

    private static void send(HttpServerRequest ex, int status, Object body) {
        ex.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(body.toString());
    }

    private static String hash(String alg, String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance(alg).digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        vertx.close();
    }
}
