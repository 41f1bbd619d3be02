package io.webcall.signaling.testsupport;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Assumptions;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A JsSIP or SIP.js user agent running in Node with a real WebRTC stack ({@code src/test/js/ua.mjs}), driven by
 * JSON commands; its events are queued for the test to await.
 */
public final class NodeUa implements AutoCloseable {

    private static final Path HARNESS = Path.of("src/test/js");

    private final Process process;
    private final Writer stdin;
    private final LinkedBlockingQueue<JsonObject> events = new LinkedBlockingQueue<>();
    private final List<JsonObject> seen = new ArrayList<>();
    private final String name;

    private NodeUa(String name, JsonObject cfg) throws IOException {
        this.name = name;
        ProcessBuilder pb = new ProcessBuilder("node", "ua.mjs", cfg.encode()).directory(HARNESS.toFile())
                .redirectError(ProcessBuilder.Redirect.appendTo(Path.of("target", "node-ua-" + name + ".log").toFile()));
        if (cfg.getString("ws").startsWith("wss://")) {
            // the test edge's certificate is self-signed
            pb.environment().put("NODE_TLS_REJECT_UNAUTHORIZED", "0");
        }
        process = pb.start();
        stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    if (line.startsWith("{")) {
                        events.add(new JsonObject(line));
                    }
                }
            } catch (IOException ignored) {
                // process ended
            }
        }, "node-ua-" + name);
        reader.setDaemon(true);
        reader.start();
    }

    /** Skips (or in CI fails) when node or the npm packages are missing. */
    public static void assumeAvailable() {
        boolean ok = Files.isDirectory(HARNESS.resolve("node_modules/jssip")) && Files.isDirectory(HARNESS.resolve("node_modules/@roamhq/wrtc"));
        if (!ok && "true".equals(System.getenv("CI"))) {
            throw new IllegalStateException("npm packages missing: run npm ci in signaling-service/src/test/js");
        }
        Assumptions.assumeTrue(ok, "npm packages missing: run npm ci in signaling-service/src/test/js");
    }

    public static NodeUa jssip(String name, String wsUrl, String user, String token, String password) throws IOException {
        return start("jssip", name, wsUrl, user, token, password);
    }

    public static NodeUa sipjs(String name, String wsUrl, String user, String token, String password) throws IOException {
        return start("sipjs", name, wsUrl, user, token, password);
    }

    /** A SIP.js user agent with extra harness options: {@code rel100} (RFC 3262 support: PRACK, reliable 183). */
    public static NodeUa sipjs(String name, String wsUrl, String user, String token, String password, JsonObject options)
            throws IOException {
        return start("sipjs", name, wsUrl, user, token, password, options);
    }

    /**
     * A JsSIP user agent with extra harness options: {@code origin} (the Origin header its WebSocket sends, as a
     * browser page would).
     */
    public static NodeUa jssip(String name, String wsUrl, String user, String token, String password, JsonObject options)
            throws IOException {
        return start("jssip", name, wsUrl, user, token, password, options);
    }

    private static NodeUa start(String lib, String name, String wsUrl, String user, String token, String password) throws IOException {
        return start(lib, name, wsUrl, user, token, password, new JsonObject());
    }

    private static NodeUa start(String lib, String name, String wsUrl, String user, String token, String password,
                                JsonObject options) throws IOException {
        assumeAvailable();
        JsonObject cfg = options.copy().put("lib", lib).put("ws", wsUrl).put("user", user)
                .put("domain", AccountServiceProcess.DOMAIN).put("instance", java.util.UUID.randomUUID().toString());
        if (token != null) {
            cfg.put("token", token);
        }
        if (password != null) {
            cfg.put("password", password);
        }
        if (System.getenv("UA_DEBUG") != null) {
            cfg.put("debug", true);
        }
        return new NodeUa(name, cfg);
    }

    public void send(JsonObject cmd) {
        try {
            stdin.write(cmd.encode() + "\n");
            stdin.flush();
        } catch (IOException e) {
            throw new IllegalStateException(name + " is gone", e);
        }
    }

    public void send(String cmd) {
        send(new JsonObject().put("cmd", cmd));
    }

    /** Registers with the edge and waits until the REGISTER succeeded; this user agent, for chaining. */
    public NodeUa register(Duration timeout) throws InterruptedException {
        send("register");
        await("registered", timeout);
        return this;
    }

    /** Waits for the next event with this name; fails on timeout and on an unexpected terminal event. */
    public JsonObject await(String event, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (JsonObject e : seen) {
            if (event.equals(e.getString("event"))) {
                seen.remove(e);
                return e;
            }
        }
        while (true) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError(name + ": no '" + event + "' within " + timeout + "; other events: " + seen);
            }
            JsonObject e = events.poll(left, TimeUnit.NANOSECONDS);
            if (e == null) {
                continue;
            }
            if (event.equals(e.getString("event"))) {
                return e;
            }
            seen.add(e);
        }
    }

    /** Waits for {@code event}, or returns the first of {@code others} that came instead. */
    public JsonObject awaitAny(Duration timeout, String... names) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<String> wanted = List.of(names);
        for (JsonObject e : seen) {
            if (wanted.contains(e.getString("event"))) {
                seen.remove(e);
                return e;
            }
        }
        while (true) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError(name + ": none of " + wanted + " within " + timeout + "; other events: " + seen);
            }
            JsonObject e = events.poll(left, TimeUnit.NANOSECONDS);
            if (e == null) {
                continue;
            }
            if (wanted.contains(e.getString("event"))) {
                return e;
            }
            seen.add(e);
        }
    }

    /** Kills the process without any goodbye: its WebSocket drops like a crashed browser tab. */
    public void crash() {
        process.destroyForcibly();
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            try {
                send("quit");
                process.waitFor(2, TimeUnit.SECONDS);
            } catch (RuntimeException | InterruptedException ignored) {
                // killed below
            }
            process.destroyForcibly();
        }
    }
}
