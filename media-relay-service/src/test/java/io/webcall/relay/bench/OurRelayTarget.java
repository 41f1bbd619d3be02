package io.webcall.relay.bench;

import io.webcall.relay.dtls.DtlsIdentity;
import io.webcall.relay.peer.PackagedRelay;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** The packaged relay ({@code target/quarkus-app}) in its own JVM, driven over its HTTP control API. */
final class OurRelayTarget implements BenchTarget {

    private final Path jar;
    private final int rtpBase;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private Process process;
    private int httpPort;
    private int echoPort;
    private Path log;

    private final java.util.List<String> jvmOptions;

    private final String name;

    OurRelayTarget(Path jar, int rtpBase, java.util.List<String> jvmOptions) {
        this("webcall relay", jar, rtpBase, jvmOptions);
    }

    OurRelayTarget(String name, Path jar, int rtpBase, java.util.List<String> jvmOptions) {
        this.name = name;
        this.jar = jar;
        this.rtpBase = rtpBase;
        this.jvmOptions = jvmOptions;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public boolean plain() {
        return false;
    }

    @Override
    public void start(int echoPort) throws Exception {
        this.echoPort = echoPort;
        httpPort = freeTcpPort();
        log = Files.createTempFile("relay-bench", ".log");
        java.util.List<String> options = new java.util.ArrayList<>(jvmOptions);
        options.addAll(java.util.List.of("-Dwebcall.relay.webrtc.port=" + freeUdpPort(),
                "-Dwebcall.relay.rtp.port-min=" + rtpBase, "-Dwebcall.relay.rtp.port-max=" + (rtpBase + 2999),
                "-Dwebcall.relay.stats.publish=false", "-Dquarkus.log.level=WARN"));
        process = PackagedRelay.start(jar, options, httpPort, log);
    }

    /** Base URL of the relay's control API. */
    String controlUrl() {
        return "http://127.0.0.1:" + httpPort;
    }

    @Override
    public boolean jvm() {
        return true;
    }

    @Override
    public long pid() {
        return process.pid();
    }

    /** Non-zero {@code relay_packets_dropped_total} counters from the relay's /q/metrics. */
    @Override
    public String drops() {
        try {
            String metrics = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/q/metrics"))
                    .build(), HttpResponse.BodyHandlers.ofString()).body();
            java.util.regex.Matcher m = java.util.regex.Pattern.compile(
                    "^relay_packets_dropped_total\\{[^}]*reason=\"([a-z_]+)\"[^}]*} ([0-9.E+-]+)$",
                    java.util.regex.Pattern.MULTILINE).matcher(metrics);
            StringBuilder out = new StringBuilder();
            while (m.find()) {
                double n = Double.parseDouble(m.group(2));
                if (n > 0) {
                    out.append(out.length() == 0 ? "" : ", ").append(m.group(1)).append('=').append((long) n);
                }
            }
            return out.length() == 0 ? "none" : out.toString();
        } catch (Exception e) {
            return "unavailable: " + e.getMessage();
        }
    }

    @Override
    public void open(int index, BenchLeg leg, DtlsIdentity identity) throws Exception {
        String callId = "bench-" + index;
        post(callId, "offer", leg.offer(identity), "webrtc", "rtp");
        String answer = post(callId, "answer", BenchTarget.pbxSdp(echoPort), "rtp", "webrtc");
        leg.connect(answer, identity, 20_000);
    }

    private String post(String callId, String op, String sdp, String from, String to) throws Exception {
        String body = "{\"sdp\":" + json(sdp) + ",\"from\":\"" + from + "\",\"to\":\"" + to
                + "\",\"fromTag\":\"a\",\"toTag\":\"b\"}";
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort
                        + "/v1/sessions/" + callId + "/" + op)).header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException(op + " failed: " + r.statusCode() + " " + r.body());
        }
        String text = r.body();
        int start = text.indexOf("\"sdp\":\"") + 7;
        return text.substring(start, text.indexOf('"', start)).replace("\\r", "\r").replace("\\n", "\n");
    }

    private static String json(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\r", "\\r").replace("\n", "\\n") + "\"";
    }

    @Override
    public void close() {
        if (process != null) {
            process.destroy();
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            process.destroyForcibly();
        }
    }

    static int freeTcpPort() throws IOException {
        return PackagedRelay.freeTcpPort();
    }

    static int freeUdpPort() throws IOException {
        return PackagedRelay.freeUdpPort();
    }
}
