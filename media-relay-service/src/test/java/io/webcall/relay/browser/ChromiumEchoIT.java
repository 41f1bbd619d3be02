package io.webcall.relay.browser;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Real Chromium against the packaged relay, both inside a network namespace that holds only {@code lo}:
 * the browser sends its microphone (fake device) to the relay in echo mode and must receive the echo
 * (inbound-rtp packets grow), directly and through coturn with {@code iceTransportPolicy: 'relay'}.
 */
class ChromiumEchoIT {

    private static final Path MODULE = Path.of(System.getProperty("user.dir"));
    private static final Path APP = MODULE.resolve("target/quarkus-app/quarkus-run.jar");
    private static final Path SCRIPT = MODULE.resolve("src/test/browser/echo-call.mjs");
    private static final int HTTP_PORT = 18082;

    @BeforeAll
    static void requireTools() {
        List<String> missing = new ArrayList<>();
        for (String tool : List.of("/usr/bin/chromium", "/usr/bin/node", "/usr/bin/turnserver")) {
            if (!Files.isExecutable(Path.of(tool))) {
                missing.add(tool);
            }
        }
        if (!Files.isDirectory(MODULE.resolve("node_modules/playwright-core"))) {
            missing.add("node_modules/playwright-core (run npm ci in media-relay-service)");
        }
        if (!Files.exists(APP)) {
            missing.add(APP.toString());
        }
        boolean root = "root".equals(System.getProperty("user.name"));
        if (!root) {
            missing.add("root (ip netns)");
        }
        if (!missing.isEmpty() && "true".equals(System.getenv("CI"))) {
            throw new IllegalStateException("browser test needs " + missing);
        }
        Assumptions.assumeTrue(missing.isEmpty(), "browser test skipped, missing: " + missing);
    }

    private static void startRelay(NetworkNamespace ns, Path logs) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ns.start(List.of(java, "-Xmx256m", "--add-opens", "java.base/com.sun.crypto.provider=ALL-UNNAMED", "-Dquarkus.http.port=" + HTTP_PORT, "-Dwebcall.relay.webrtc.port=10000",
                "-Dwebcall.relay.rtp.port-min=20000", "-Dwebcall.relay.rtp.port-max=20099",
                "-Dwebcall.relay.stats.rtcp-interval=1s",
                "-Dquarkus.log.console.json.enabled=false", "-jar", APP.toString()), logs.resolve("relay.log"));
    }

    private static JsonNode runBrowser(NetworkNamespace ns, List<String> extra) throws Exception {
        List<String> command = new ArrayList<>(List.of("node", SCRIPT.toString(), "--relay",
                "http://127.0.0.1:" + HTTP_PORT, "--call", "chromium-" + System.nanoTime()));
        command.addAll(extra);
        String out = ns.run(command, 120, MODULE);
        String last = out.lines().filter(l -> l.startsWith("{")).reduce((a, b) -> b).orElse("{}");
        return new ObjectMapper().readTree(last);
    }

    @Test
    void chromiumConnectsDirectlyAndReceivesItsEchoedAudio() throws Exception {
        Path logs = Files.createTempDirectory("relay-chromium");
        try (NetworkNamespace ns = NetworkNamespace.create("relay-it")) {
            startRelay(ns, logs);
            JsonNode result = runBrowser(ns, List.of());
            assertTrue(result.path("ok").asBoolean(), "echoed audio reached Chromium: " + result + " (logs in "
                    + logs + ")");
            assertTrue(result.path("packetsReceived").asInt() >= 100, result.toString());
            assertTrue(result.path("roundTripTime").isNumber() && result.path("roundTripTime").asDouble() >= 0,
                    "Chromium measured a round trip from the relay's RTCP reports (remote-inbound-rtp): " + result);
        }
    }

    @Test
    void chromiumReachesTheRelayOnlyThroughCoturnAndReceivesItsEchoedAudio() throws Exception {
        Path logs = Files.createTempDirectory("relay-chromium-turn");
        String secret = "relay-test-secret";
        try (NetworkNamespace ns = NetworkNamespace.create("relay-turn")) {
            ns.start(List.of("/usr/bin/turnserver", "-n", "--listening-ip=127.0.0.1", "--relay-ip=127.0.0.1",
                    "--listening-port=3478", "--min-port=49160", "--max-port=49200", "--use-auth-secret",
                    "--static-auth-secret=" + secret, "--realm=webcall.test", "--no-tls", "--no-dtls", "--no-cli",
                    "--allow-loopback-peers", "--fingerprint", "--log-file=stdout"), logs.resolve("coturn.log"));
            startRelay(ns, logs);
            // TURN REST credentials (coturn use-auth-secret): user "<expiry>:<name>", password HMAC-SHA1 base64
            String user = (System.currentTimeMillis() / 1000 + 3600) + ":alice";
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
            String password = Base64.getEncoder().encodeToString(mac.doFinal(user.getBytes(StandardCharsets.UTF_8)));
            JsonNode result = runBrowser(ns, List.of("--turn", "turn:127.0.0.1:3478?transport=udp", "--turn-user",
                    user, "--turn-pass", password));
            assertTrue(result.path("ok").asBoolean(), "echoed audio through TURN: " + result + " (logs in " + logs
                    + ")");
            assertTrue(result.path("usedRelayCandidate").asBoolean(), "the browser used its TURN candidate: " + result);
        }
    }
}
