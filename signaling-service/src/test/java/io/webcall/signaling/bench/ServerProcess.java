package io.webcall.signaling.bench;




import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A server under load, started as its own process on free loopback ports: the packaged edge or Kamailio 5.6, each
 * with its media server when media is anchored (our relay for the edge, rtpengine for Kamailio), which is started
 * before it and stopped after it.
 */
final class ServerProcess implements AutoCloseable {

    final String name;
    final Process process;
    final int wsPort;
    final String wsPath;
    final ProcessMeter meter;
    /** The media server the signaling server anchors calls at, or null (SDP passed through). */
    final MediaServer media;

    private ServerProcess(String name, Process process, int wsPort, String wsPath, MediaServer media) {
        this.name = name;
        this.process = process;
        this.wsPort = wsPort;
        this.wsPath = wsPath;
        this.meter = new ProcessMeter(process.pid());
        this.media = media;
    }

    /**
     * The packaged edge ({@code target/quarkus-app}), limits opened for the load; with {@code relay} (a started
     * {@link MediaServer#relay}) every offer and answer goes through the relay's control API, without it SDP passes
     * through unchanged. {@code EDGE_APP} names another packaged edge ({@code quarkus-app} directory), e.g. a copy of an
     * earlier build kept aside, to compare two builds back to back.
     */
    static ServerProcess edge(BenchAccountService account, MediaServer relay, Path out) throws Exception {
        String app = System.getenv().getOrDefault("EDGE_APP", "");
        Path jar = (app.isBlank() ? Path.of("target/quarkus-app") : Path.of(app)).resolve("quarkus-run.jar");
        if (!Files.exists(jar)) {
            if (relay != null) {
                relay.close();
            }
            throw new IllegalStateException("build the edge first: ./mvnw -B -o -pl signaling-service package -DskipTests");
        }
        if (!app.isBlank()) {
            System.out.printf("edge build: %s (EDGE_APP)%n", jar.toAbsolutePath().normalize());
        }
        int http = freeTcpPort();
        List<String> cmd = new ArrayList<>(List.of(javaBin(), "-Xms256m", "-Xmx2g", "-XX:+UseG1GC",
                "-Dquarkus.http.port=" + http, "-Dwebcall.edge.sip.port=" + ServerProcess.freeUdpPort(),
                "-Dwebcall.edge.account.url=" + account.url(), "-Dwebcall.internal.token=" + BenchAccountService.INTERNAL_TOKEN,
                relay != null ? "-Dwebcall.edge.media.relay-url=" + relay.controlUrl : "-Dwebcall.edge.media.anchor=false",
                "-Dwebcall.edge.limits.max-connections-per-source=1000000",
                "-Dwebcall.edge.limits.requests-per-second=1000000", "-Dwebcall.edge.limits.request-burst=1000000",
                "-Dwebcall.edge.auth.max-failures=1000000", "-Dwebcall.edge.sip.idle-timeout=900s",
                "-Dquarkus.log.console.json.enabled=false", "-Dquarkus.log.category.\"io.webcall\".level=WARN"));
        // extra JVM options for the edge, e.g. a profiler agent: EDGE_JAVA_OPTS="-agentpath:...=start,event=cpu,file=..."
        String extra = System.getenv("EDGE_JAVA_OPTS");
        if (extra != null && !extra.isBlank()) {
            cmd.addAll(List.of(extra.trim().split("\\s+")));
        }
        cmd.addAll(List.of("-jar", jar.toString()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.resolve("edge.log").toFile()).start();
        try {
            waitForPort("edge", p, http, out.resolve("edge.log"));
        } catch (Exception e) {
            p.destroyForcibly();
            if (relay != null) {
                relay.close();
            }
            throw e;
        }
        return new ServerProcess("edge", p, http, "/sip", relay);
    }

    /**
     * Kamailio 5.6 as the equivalent WebSocket registrar and proxy: websocket + xhttp for RFC 7118, registrar with
     * an in-memory location table, a digest challenge on every REGISTER (auth, password from the config), record
     * routing and relaying of INVITEs to the PBX over UDP, loose routing in dialog; two TCP workers. With
     * {@code rtpengine} (a started {@link MediaServer#rtpengine}) the rtpengine module anchors every call there the
     * way our edge does at its relay: the browser's WebRTC offer goes to the PBX as plain RTP/AVP (ICE removed,
     * no DTLS or SDES, rtcp-mux split), the PBX's answer goes back as WebRTC (ICE, DTLS passive, rtcp-mux), and the
     * session is deleted on BYE and on a failed INVITE. Without it SDP passes through unchanged.
     */
    static ServerProcess kamailio(int pbxPort, int maxConnections, MediaServer rtpengine, Path out) throws Exception {
        int ws = freeTcpPort();
        int udp = ServerProcess.freeUdpPort();
        String cfg = """
                #!KAMAILIO
                debug=1
                log_stderror=yes
                children=2
                tcp_children=2
                listen=udp:127.0.0.1:%d
                listen=tcp:127.0.0.1:%d
                tcp_accept_no_cl=yes
                tcp_max_connections=%d
                tcp_connection_lifetime=3605
                mpath="/usr/lib/x86_64-linux-gnu/kamailio/modules/"
                loadmodule "xhttp.so"
                loadmodule "websocket.so"
                loadmodule "tm.so"
                loadmodule "sl.so"
                loadmodule "rr.so"
                loadmodule "maxfwd.so"
                loadmodule "pv.so"
                loadmodule "siputils.so"
                loadmodule "textops.so"
                loadmodule "usrloc.so"
                loadmodule "registrar.so"
                loadmodule "auth.so"
                %s
                modparam("usrloc", "db_mode", 0)
                modparam("websocket", "keepalive_mechanism", 0)
                event_route[xhttp:request] {
                    if ($hdr(Upgrade) =~ "websocket" && $hdr(Connection) =~ "Upgrade" && $rm =~ "GET") {
                        if (ws_handle_handshake()) { exit; }
                    }
                    xhttp_reply("404", "Not Found", "", "");
                }
                request_route {
                    force_rport();
                    if (!mf_process_maxfwd_header("10")) { sl_send_reply("483", "Too Many Hops"); exit; }
                    if (has_totag()) {
                        if (loose_route()) { %st_relay(); exit; }
                        if (is_method("ACK")) { if (t_check_trans()) { t_relay(); } exit; }
                        sl_send_reply("404", "Not here");
                        exit;
                    }
                    if (is_method("CANCEL")) { if (t_check_trans()) { t_relay(); } exit; }
                    if (is_method("REGISTER")) {
                        if (!pv_www_authenticate("$td", "%s", "0")) { www_challenge("$td", "1"); exit; }
                        consume_credentials();
                        if (!save("location")) { sl_reply_error(); }
                        exit;
                    }
                    if (is_method("INVITE")) {
                        record_route();
                        $du = "sip:127.0.0.1:%d";
                        %s
                        t_relay();
                        exit;
                    }
                    sl_send_reply("405", "Method Not Allowed");
                }
                %s
                """.formatted(udp, ws, maxConnections,
                rtpengine == null ? "" : "loadmodule \"rtpengine.so\"\nmodparam(\"rtpengine\", \"rtpengine_sock\", \"udp:127.0.0.1:"
                        + rtpengine.controlPort + "\")",
                rtpengine == null ? "" : "if (is_method(\"BYE\")) { rtpengine_delete(); } ",
                BenchAccountService.PASSWORD, pbxPort,
                rtpengine == null ? "" : "if (!rtpengine_offer(\"" + RTPENGINE_OFFER_FLAGS + "\")) { sl_send_reply(\"500\", \"Media Anchoring Failed\"); exit; }"
                        + "\n        t_on_reply(\"MEDIA_ANSWER\");\n        t_on_failure(\"MEDIA_FAILED\");",
                rtpengine == null ? "" : """
                        onreply_route[MEDIA_ANSWER] {
                            if (status =~ "^(18[0-9]|2[0-9][0-9])$" && has_body("application/sdp")) { rtpengine_answer("%s"); }
                        }
                        failure_route[MEDIA_FAILED] {
                            rtpengine_delete();
                        }
                        """.formatted(RTPENGINE_ANSWER_FLAGS));
        Path file = out.resolve("kamailio.cfg");
        Files.writeString(file, cfg);
        Process p = new ProcessBuilder("/usr/sbin/kamailio", "-f", file.toString(), "-DD", "-E", "-m", "2048", "-M", "16",
                "-Y", out.toString(), "-P", out.resolve("kamailio.pid").toString())
                .redirectErrorStream(true).redirectOutput(out.resolve("kamailio.log").toFile()).start();
        try {
            waitForPort("kamailio", p, ws, out.resolve("kamailio.log"));
        } catch (Exception e) {
            p.destroyForcibly();
            if (rtpengine != null) {
                rtpengine.close();
            }
            throw e;
        }
        return new ServerProcess("kamailio", p, ws, "/", rtpengine);
    }

    /**
     * rtpengine's flags (Kamailio rtpengine module syntax) for the browser's offer on its way to the PBX: plain
     * RTP/AVP, no ICE, no DTLS, no SDES, RTCP on its own port, rtpengine's address in o= and c=.
     */
    static final String RTPENGINE_OFFER_FLAGS = "RTP/AVP ICE=remove DTLS=off SDES-off rtcp-mux-demux replace-origin replace-session-connection";
    /** ... and for the PBX's answer on its way back to the browser: WebRTC (ICE, DTLS-SRTP as the passive side, rtcp-mux). */
    static final String RTPENGINE_ANSWER_FLAGS = "UDP/TLS/RTP/SAVPF ICE=force DTLS=passive SDES-off rtcp-mux-require replace-origin replace-session-connection";

    private static String javaBin() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    static int freeUdpPort() throws IOException {
        try (var s = new java.net.DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            return s.getLocalPort();
        }
    }

    static int freeTcpPort() throws IOException {
        try (var s = new java.net.ServerSocket()) {
            s.bind(new InetSocketAddress("127.0.0.1", 0));
            return s.getLocalPort();
        }
    }

    private static void waitForPort(String name, Process p, int port, Path log) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            if (!p.isAlive()) {
                throw new IllegalStateException(name + " exited: see " + log);
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                Thread.sleep(300);
                return;
            } catch (IOException e) {
                Thread.sleep(200);
            }
        }
        throw new IllegalStateException(name + " did not listen on " + port + " within 60 s: see " + log);
    }

    /** Runs {@code jcmd} against the edge JVM: used heap in bytes after a full collection, or -1. */
    long heapAfterGc() {
        try {
            String jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
            new ProcessBuilder(jcmd, String.valueOf(process.pid()), "GC.run").redirectErrorStream(true).start().waitFor(30, TimeUnit.SECONDS);
            Process info = new ProcessBuilder(jcmd, String.valueOf(process.pid()), "GC.heap_info").redirectErrorStream(true).start();
            String text = new String(info.getInputStream().readAllBytes());
            info.waitFor(30, TimeUnit.SECONDS);
            var m = java.util.regex.Pattern.compile("used (\\d+)K").matcher(text);
            return m.find() ? Long.parseLong(m.group(1)) * 1024 : -1;
        } catch (Exception e) {
            return -1;
        }
    }

    /**
     * The edge's relay request timers from its Prometheus endpoint: operation -> {count, total seconds}; empty when it
     * has none (not the edge, an older build, no media) or the endpoint does not answer.
     */
    Map<String, double[]> relayRequestTimes() {
        Map<String, double[]> out = new java.util.TreeMap<>();
        if (!name.equals("edge") || media == null) {
            return out;
        }
        try {
            java.net.http.HttpClient c = java.net.http.HttpClient.newBuilder().connectTimeout(java.time.Duration.ofSeconds(5)).build();
            String text = c.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + wsPort + "/q/metrics"))
                    .timeout(java.time.Duration.ofSeconds(10)).build(), java.net.http.HttpResponse.BodyHandlers.ofString()).body();
            java.util.regex.Matcher m = java.util.regex.Pattern.compile(
                    "(?m)^webcall_edge_relay_request_seconds_(count|sum)\\{[^}]*operation=\"(\\w+)\"[^}]*} ([0-9.eE+-]+)$").matcher(text);
            while (m.find()) {
                double[] v = out.computeIfAbsent(m.group(2), k -> new double[2]);
                v[m.group(1).equals("count") ? 0 : 1] = Double.parseDouble(m.group(3));
            }
        } catch (Exception e) {
            System.out.println("  (edge metrics not read: " + e + ")");
        }
        return out;
    }

    /**
     * Runs an async-profiler command in the edge JVM through {@code jcmd JVMTI.agent_load} when {@code EDGE_PROFILER}
     * names its {@code libasyncProfiler.so} (what it samples: {@code EDGE_PROFILER_EVENT}; load the library at start too, {@code -agentpath:<lib>} in {@code EDGE_JAVA_OPTS},
     * so attaching does not recompile); a no-op otherwise.
     */
    void profiler(String command) {
        String lib = System.getenv("EDGE_PROFILER");
        if (lib == null || lib.isBlank() || !name.equals("edge")) {
            return;
        }
        try {
            String jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
            new ProcessBuilder(jcmd, String.valueOf(process.pid()), "JVMTI.agent_load", lib, "\"" + command + "\"").redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            System.out.println("profiler command failed: " + e);
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
        if (media != null) {
            media.close();
        }
    }
}
