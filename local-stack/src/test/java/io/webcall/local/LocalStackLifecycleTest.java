package io.webcall.local;

import com.fasterxml.jackson.databind.JsonNode;
import io.webcall.infra.ProcessOutput;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The whole stack (embedded PostgreSQL and Kafka, the three packaged services) on free ports with
 * a temporary data directory, started three times on the same directory: fresh, again (data kept,
 * seeding idempotent), and through the command line with {@code --reset}, stopped by SIGINT.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LocalStackLifecycleTest {

    private static final String KEPT_DOMAIN = "kept.localhost";
    private static final String KEPT_TOPIC = "local-stack-kept";
    /** The last line of the launcher's summary. */
    private static final Pattern READY = Pattern.compile(Pattern.quote("Ctrl-C stops everything."));

    /** One directory for the whole class: each test starts the stack on what the previous one left. */
    @TempDir
    static Path data;

    /** Quick-starting service JVMs: these tests measure nothing, they only need the services up. */
    static final List<String> FAST_JVM = List.of("-Xmx256m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC");

    private final HttpClient http = HttpClient.newHttpClient();
    private final List<Long> pidsOfEarlierRuns = new ArrayList<>();
    private String firstAdminKey;
    private String demoTenantId;

    @Test
    @Order(1)
    void firstStartBringsUpEveryPartHealthyAndSeedsTheDemoTenant() throws Exception {
        ByteArrayOutputStream progress = new ByteArrayOutputStream();
        try (LocalStack stack = LocalStack.builder().dataDir(data).ports(Ports.free()).jvmOptions(FAST_JVM)
                .output(new PrintStream(progress, true, StandardCharsets.UTF_8)).start()) {
            pidsOfEarlierRuns.addAll(stack.pids());
            for (Service service : Service.values()) {
                HttpResponse<String> health = get(stack.healthUrl(service), null);
                assertEquals(200, health.statusCode(), service + ": " + health.body());
                assertTrue(health.body().contains("\"UP\""), health.body());
            }
            assertEdgeAnswersOverTlsWithItsOwnCertificate(stack);
            String output = progress.toString(StandardCharsets.UTF_8);
            for (String part : List.of("PostgreSQL", "Kafka", "account-service", "media-relay-service", "signaling-service")) {
                assertTrue(output.matches("(?s).*starting " + part + "\\.\\.\\. ready in \\d+\\.\\d s.*"), output);
            }

            JsonNode tenant = stack.adminClient().findTenant("demo.localhost").orElseThrow();
            demoTenantId = tenant.path("id").asText();
            assertEquals(stack.demoTenantId(), demoTenantId);
            assertEquals("active", tenant.path("status").asText());
            for (String user : List.of("alice", "bob", "carol")) {
                assertDemoUserHasPasswordDemo(stack, user);
            }

            firstAdminKey = stack.adminApiKey();
            assertEquals(firstAdminKey, Files.readString(data.resolve("admin-api-key")).trim());
            stack.adminClient().createTenant(AccountAdminClient.json().createObjectNode()
                    .put("name", "Kept").put("domain", KEPT_DOMAIN));
            try (Admin kafka = Admin.create(Map.of("bootstrap.servers", stack.kafkaBootstrapServers()))) {
                kafka.createTopics(List.of(new NewTopic(KEPT_TOPIC, 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
            }
        }
        assertNothingLeftRunning();
    }

    @Test
    @Order(2)
    void secondStartKeepsTheDataAndSeedsIdempotentlyWithThePbx() throws Exception {
        try (LocalStack stack = LocalStack.builder().dataDir(data).ports(Ports.free()).jvmOptions(FAST_JVM)
                .pbx("sip:127.0.0.1:5999;transport=tcp").output(quiet()).start()) {
            pidsOfEarlierRuns.addAll(stack.pids());
            assertEquals(firstAdminKey, stack.adminApiKey(), "the admin key is generated once");
            assertTrue(stack.adminClient().findTenant(KEPT_DOMAIN).isPresent(), "tenant of the first run is gone");

            JsonNode demo = stack.adminClient().findTenant("demo.localhost").orElseThrow();
            assertEquals(demoTenantId, demo.path("id").asText(), "the demo tenant was created again");
            assertEquals("sip:127.0.0.1:5999", demo.path("pbx").path("uri").asText(), demo.toString());
            assertEquals("tcp", demo.path("pbx").path("transport").asText(), demo.toString());
            assertDemoUserHasPasswordDemo(stack, "alice");

            try (Admin kafka = Admin.create(Map.of("bootstrap.servers", stack.kafkaBootstrapServers()))) {
                assertTrue(kafka.listTopics().names().get(30, TimeUnit.SECONDS).contains(KEPT_TOPIC), "Kafka topic is gone");
            }
        }
        assertNothingLeftRunning();
    }

    @Test
    @Order(3)
    void commandLineResetWipesTheDataAndCtrlCStopsEverythingInOrder() throws Exception {
        Path output = data.resolveSibling(data.getFileName() + "-launcher.out");
        Process launcher = new ProcessBuilder(runLocal("--no-build", "--exit-with-parent", "--free-ports", "--reset", "--jvm-option", "-XX:TieredStopAtLevel=1", "--data", data.toString()))
                .redirectErrorStream(true).start();
        ProcessOutput launcherOutput = ProcessOutput.copy(launcher, "run-local", output, READY);
        try {
            String text = awaitReady(launcherOutput);
            String adminKey = Files.readString(data.resolve("admin-api-key")).trim();
            assertNotEquals(firstAdminKey, adminKey, "--reset keeps the old secrets");
            URI account = URI.create(field(text, "account API") .replaceAll("/v1/.*", "/"));

            HttpResponse<String> kept = get(account.resolve("/v1/tenants?domain=" + KEPT_DOMAIN), adminKey);
            assertEquals(200, kept.statusCode(), kept.body());
            assertEquals("[]", kept.body().replaceAll("\\s", ""), "--reset kept the data");
            HttpResponse<String> demo = get(account.resolve("/v1/tenants?domain=demo.localhost"), adminKey);
            assertTrue(demo.body().contains("demo.localhost"), demo.body());

            // run-local.sh execs the launcher: the script's process is the launcher's JVM
            assertTrue(launcher.info().command().orElse("").endsWith("java"), launcher.info().toString());
            List<ProcessHandle> children = launcher.toHandle().descendants().toList();
            assertTrue(children.size() >= 3, "services are child processes: " + children);

            new ProcessBuilder("kill", "-INT", Long.toString(launcher.pid())).start().waitFor();
            assertTrue(launcher.waitFor(90, TimeUnit.SECONDS), "launcher did not stop on SIGINT");
            assertTrue(launcherOutput.awaitEnd(Duration.ofSeconds(30)), "the launcher's output was not closed");
            assertEquals(0, launcher.exitValue(), Files.readString(output));
            String all = Files.readString(output);
            int edge = all.indexOf("stopping signaling-service... stopped");
            int accountStop = all.indexOf("stopping account-service... stopped");
            int kafka = all.indexOf("stopping Kafka... stopped");
            int postgres = all.indexOf("stopping PostgreSQL... stopped");
            assertTrue(edge >= 0 && edge < accountStop && accountStop < kafka && kafka < postgres, all);
            for (ProcessHandle child : children) {
                assertTrue(child.onExit().get(10, TimeUnit.SECONDS) != null);
                assertFalse(child.isAlive(), "left running: " + child.info());
            }
        } finally {
            launcher.destroyForcibly();
        }
        assertNothingLeftRunning();
    }

    @AfterAll
    void nothingLeftBehind() {
        assertNothingLeftRunning();
    }

    private void assertEdgeAnswersOverTlsWithItsOwnCertificate(LocalStack stack) throws Exception {
        java.security.KeyStore keyStore = java.security.KeyStore.getInstance("PKCS12");
        String password = loadProperties(data.resolve("secrets.properties"))
                .getProperty("tls-key-store-password");
        try (var in = Files.newInputStream(data.resolve("tls/edge.p12"))) {
            keyStore.load(in, password.toCharArray());
        }
        javax.net.ssl.TrustManagerFactory trust = javax.net.ssl.TrustManagerFactory.getInstance("PKIX");
        trust.init(keyStore);
        javax.net.ssl.SSLContext tls = javax.net.ssl.SSLContext.getInstance("TLS");
        tls.init(null, trust.getTrustManagers(), null);
        HttpClient client = HttpClient.newBuilder().sslContext(tls).build();
        URI health = URI.create("https://127.0.0.1:" + stack.ports().edgeWss() + "/q/health/ready");
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(health).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response.body());
    }

    private static java.util.Properties loadProperties(Path file) throws Exception {
        java.util.Properties properties = new java.util.Properties();
        try (var in = Files.newBufferedReader(file)) {
            properties.load(in);
        }
        return properties;
    }

    private void assertDemoUserHasPasswordDemo(LocalStack stack, String user) throws Exception {
        HttpResponse<String> response = get(stack.accountUrl().resolve("/v1/internal/credentials/demo.localhost/" + user),
                stack.internalToken());
        assertEquals(200, response.statusCode(), user + ": " + response.body());
        JsonNode credentials = AccountAdminClient.json().readTree(response.body());
        assertTrue(credentials.path("enabled").asBoolean(), response.body());
        String expected = HexFormat.of().formatHex(MessageDigest.getInstance("MD5")
                .digest((user + ":demo.localhost:demo").getBytes(StandardCharsets.UTF_8)));
        assertEquals(expected, credentials.path("ha1Md5").asText(), "HA1 of " + user + " is not for password 'demo'");
    }

    private void assertNothingLeftRunning() {
        for (long pid : pidsOfEarlierRuns) {
            ProcessHandle.of(pid).ifPresent(p -> {
                p.onExit().completeOnTimeout(p, 10, TimeUnit.SECONDS).join();
                assertFalse(p.isAlive(), "process " + pid + " outlived its stack: " + p.info());
            });
        }
        String dataPath = data.toString();
        List<ProcessHandle> postgres = ProcessHandle.allProcesses()
                .filter(p -> p.info().arguments().map(a -> String.join(" ", a).contains(dataPath)).orElse(false))
                .filter(p -> !p.equals(ProcessHandle.current()))
                .toList();
        assertTrue(postgres.isEmpty(), "still running on the data directory: " + postgres);
    }

    private HttpResponse<String> get(URI uri, String bearer) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).GET();
        if (bearer != null) {
            request.header("Authorization", "Bearer " + bearer);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    static List<String> runLocal(String... args) {
        List<String> command = new ArrayList<>(List.of(RepositoryRoot.find().resolve("run-local.sh").toString()));
        command.addAll(List.of(args));
        return command;
    }

    static List<String> javaCommand(String... args) {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"),
                "-D" + RepositoryRoot.PROPERTY + "=" + RepositoryRoot.find(),
                LocalStackMain.class.getName()));
        command.addAll(List.of(args));
        return command;
    }

    /** The launcher's output up to its summary, which ends with {@link #READY}. */
    private static String awaitReady(ProcessOutput output) throws Exception {
        try {
            output.await(READY, Duration.ofSeconds(240));
            return Files.readString(output.log());
        } catch (IllegalStateException | TimeoutException e) {
            throw new AssertionError(e.getMessage() + ":\n" + Files.readString(output.log()), e);
        }
    }

    private static String field(String summary, String label) {
        for (String line : summary.split("\\R")) {
            if (line.trim().startsWith(label)) {
                return line.trim().substring(label.length()).trim().split("\\s+")[0];
            }
        }
        throw new AssertionError("no '" + label + "' in the summary:\n" + summary);
    }

    private static PrintStream quiet() {
        return new PrintStream(java.io.OutputStream.nullOutputStream());
    }
}
