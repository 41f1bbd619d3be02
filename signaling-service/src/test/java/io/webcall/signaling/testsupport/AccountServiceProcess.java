package io.webcall.signaling.testsupport;

import io.webcall.infra.ProcessOutput;
import java.time.Duration;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.webcall.infra.EmbeddedPostgresServer;
import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * The real account service (module account-service, started from its packaged quarkus-app on a private copy) on a
 * free loopback port with an embedded PostgreSQL, once per test JVM. The tenants {@value #DOMAIN} and
 * {@value #OTHER_DOMAIN}, each with the users alice, bob and carol (password {@value #PASSWORD}), are created through
 * its REST API; access tokens come from its {@code POST /v1/tokens}. Skipped when the service has not been built
 * (fails when CI=true).
 */
public final class AccountServiceProcess {

    public static final String DOMAIN = "demo.localhost";
    public static final String OTHER_DOMAIN = "other.localhost";
    public static final String PASSWORD = "demo";
    public static final List<String> USERS = List.of("alice", "bob", "carol");

    private static final Path APP = Path.of("../account-service/target/quarkus-app");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private static AccountServiceProcess instance;

    private final String internalToken = secret();
    private final String adminKey = "wk_admin_" + secret();
    private final String cryptoKey = Base64.getEncoder().encodeToString(random(32));
    private final Map<String, String> tenantIds = new ConcurrentHashMap<>();
    private final Map<String, String> apiKeys = new ConcurrentHashMap<>();
    private final Path copy;
    private final EmbeddedPostgresServer postgres;
    private volatile Process process;
    private volatile String url;

    private AccountServiceProcess() throws Exception {
        postgres = EmbeddedPostgresServer.start(null, 0);
        // run a private copy: the account module may be rebuilt while the tests run
        copy = AppCopy.of(APP, "account-service");
        launch();
        for (String domain : List.of(DOMAIN, OTHER_DOMAIN)) {
            JsonObject tenant = call("POST", "/v1/tenants", adminKey, new JsonObject().put("name", domain).put("domain", domain), 201);
            String id = tenant.getString("id");
            tenantIds.put(domain, id);
            for (String user : USERS) {
                call("POST", "/v1/tenants/" + id + "/users", adminKey,
                        new JsonObject().put("username", user).put("displayName", user).put("password", PASSWORD), 201);
            }
            apiKeys.put(domain, call("POST", "/v1/tenants/" + id + "/api-keys", adminKey,
                    new JsonObject().put("name", "edge tests"), 201).getString("key"));
        }
    }

    public static boolean available() {
        return Files.exists(APP.resolve("quarkus-run.jar"));
    }

    /** The running service, started (and populated) on first use; skips the test when it is not built. */
    public static synchronized AccountServiceProcess get() {
        if (!available() && "true".equals(System.getenv("CI"))) {
            throw new IllegalStateException("account service not built: " + APP.toAbsolutePath());
        }
        Assumptions.assumeTrue(available(), "account service not built (" + APP + "): build account-service first");
        if (instance == null) {
            try {
                instance = new AccountServiceProcess();
                AccountServiceProcess started = instance;
                Runtime.getRuntime().addShutdownHook(new Thread(started::shutdown));
            } catch (Exception e) {
                throw new IllegalStateException("cannot start the account service: " + e.getMessage(), e);
            }
        }
        return instance;
    }

    public String url() {
        return url;
    }

    public String internalToken() {
        return internalToken;
    }

    public String tenantId(String domain) {
        return tenantIds.get(domain);
    }

    /** An access token for {@code user} of {@code domain} from {@code POST /v1/tokens}, valid for {@code ttlSeconds}. */
    public String token(String user, String domain, long ttlSeconds) {
        return call("POST", "/v1/tokens", apiKeys.get(domain),
                new JsonObject().put("username", user).put("ttlSeconds", ttlSeconds), 200).getString("token");
    }

    public String token(String user) {
        return token(user, DOMAIN, 600);
    }

    /** Sets (or with a null uri removes) the PBX trunk of a tenant, through the operator API. */
    public void setPbx(String domain, String uri, String transport, String username, String password) {
        JsonObject body = new JsonObject();
        if (uri == null) {
            body.putNull("pbx");
        } else {
            body.put("pbx", new JsonObject().put("uri", uri).put("transport", transport).put("username", username)
                    .put("password", password));
        }
        call("PATCH", "/v1/tenants/" + tenantIds.get(domain), adminKey, body, 200);
    }

    private synchronized void stop() {
        Process p = process;
        if (p != null) {
            // bounded: the test JVM's own exit must never wait on (or fail because of) this child
            p.destroy();
            try {
                if (!p.waitFor(10, TimeUnit.SECONDS)) {
                    p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                p.destroyForcibly();
                Thread.currentThread().interrupt();
            }
            process = null;
        }
    }

    private void launch() throws Exception {
        String jdbc = postgres.createDatabase("account");
        ProcessBuilder pb = new ProcessBuilder("java", "-Xmx256m",
                "-Dquarkus.http.host=127.0.0.1", "-Dquarkus.http.port=0",
                "-Dquarkus.log.console.json.enabled=false",
                "-Dquarkus.datasource.jdbc.url=" + jdbc,
                "-Dquarkus.datasource.username=" + EmbeddedPostgresServer.USER,
                "-Dquarkus.datasource.password=" + EmbeddedPostgresServer.PASSWORD,
                "-Dwebcall.internal.token=" + internalToken,
                "-Dwebcall.admin.api-key=" + adminKey,
                "-Dwebcall.crypto.secret-key=" + cryptoKey,
                "-Dwebcall.client.turn-secret=" + secret(),
                "-Dwebcall.calls.consumer.enabled=false",
                "-Dkafka.bootstrap.servers=127.0.0.1:9",
                "-jar", copy.resolve("quarkus-run.jar").toString()).redirectErrorStream(true);
        Process p = pb.start();
        process = p;
        Pattern listen = Pattern.compile("Listening on: (http://[0-9.]+:[0-9]+)");
        ProcessOutput output = ProcessOutput.copy(p, "account-service", Path.of("target", "account-service.log"), listen);
        try {
            url = output.await(listen, Duration.ofSeconds(120)).group(1);
        } catch (Exception e) {
            p.destroyForcibly();
            throw e;
        }
    }

    /**
     * Shutdown hook: stops the service, then PostgreSQL, then deletes the service's private copy; never throws, never
     * exits or halts the JVM itself.
     */
    private void shutdown() {
        try {
            stop();
        } catch (RuntimeException e) {
            System.err.println("account service did not stop cleanly: " + e);
        }
        try {
            postgres.close();
        } catch (IOException | RuntimeException e) {
            System.err.println("embedded PostgreSQL did not stop cleanly: " + e);
        }
        AppCopy.delete(copy);
    }

    private JsonObject call(String method, String path, String credential, JsonObject body, int expected) {
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create(url + path)).timeout(Duration.ofSeconds(30))
                    .header("Authorization", "Bearer " + credential).header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(body.encode())).build();
            HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != expected) {
                throw new IllegalStateException(method + " " + path + " -> " + response.statusCode() + " " + response.body());
            }
            String text = response.body().trim();
            return text.startsWith("{") ? new JsonObject(text) : new JsonObject().put("items", new JsonArray(text));
        } catch (IOException e) {
            throw new IllegalStateException(method + " " + path + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static byte[] random(int n) {
        byte[] b = new byte[n];
        new SecureRandom().nextBytes(b);
        return b;
    }

    private static String secret() {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(random(24));
    }
}
