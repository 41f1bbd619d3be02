package io.webcall.relay.bench;

import io.webcall.relay.peer.TestPeer;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Load command (not a test): N calls, each a WebRTC leg (ICE + DTLS + SRTP, 50 packets/s of 160-byte
 * audio) through the packaged relay to an RTP leg answered by an echo, for a fixed time. Prints packets/s
 * relayed, loss, round trip through the relay (p50/p99), the relay's CPU microseconds per relayed packet
 * and memory, and this tool's own CPU next to them.
 *
 * <pre>./mvnw -B -pl media-relay-service package -DskipTests
 * ./mvnw -B -pl media-relay-service exec:java -Dexec.classpathScope=test \
 *     -Dexec.mainClass=io.webcall.relay.bench.RelayBenchmark -Dexec.args="--calls 20 --seconds 10"</pre>
 *
 * Not covered yet: the same load against rtpengine and a plain UDP forwarder in the same run.
 */
public final class RelayBenchmark {

    private RelayBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int calls = intArg(args, "--calls", 20);
        int seconds = intArg(args, "--seconds", 10);
        int rtpBase = intArg(args, "--rtp-base", 50000);
        Path jar = Path.of(stringArg(args, "--jar", "target/quarkus-app/quarkus-run.jar"));
        if (!Files.exists(jar)) {
            throw new IllegalStateException(jar + " missing: package the relay first");
        }
        int http = freeTcpPort();
        Process relay = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dquarkus.http.port=" + http, "-Dwebcall.relay.webrtc.port=" + freePort(),
                "-Dwebcall.relay.rtp.port-min=" + rtpBase, "-Dwebcall.relay.rtp.port-max=" + (rtpBase + 1999),
                "-Dquarkus.log.level=WARN", "-jar", jar.toString())
                .redirectErrorStream(true).redirectOutput(Files.createTempFile("relay-bench", ".log").toFile()).start();
        HttpClient client = HttpClient.newHttpClient();
        List<TestPeer> peers = new ArrayList<>();
        DatagramChannel echo = DatagramChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        Thread echoThread = new Thread(() -> echo(echo), "bench-echo");
        echoThread.setDaemon(true);
        echoThread.start();
        int echoPort = ((InetSocketAddress) echo.getLocalAddress()).getPort();
        long idleRssKib;
        try {
            waitReady(client, http, relay);
            idleRssKib = rssKib(relay.pid());
            String pbxAnswer = "v=0\r\no=pbx 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
                    + "m=audio " + echoPort + " RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n";
            for (int i = 0; i < calls; i++) {
                TestPeer peer = new TestPeer();
                peers.add(peer);
                String callId = "bench-" + i;
                post(client, http, callId, "offer", peer.offer("sendrecv"), "webrtc", "rtp");
                String answer = post(client, http, callId, "answer", pbxAnswer, "rtp", "webrtc");
                peer.connect(answer).get(30, TimeUnit.SECONDS);
            }
            System.out.printf("%d calls connected; sending 50 packets/s each for %d s%n", calls, seconds);

            AtomicLong sent = new AtomicLong();
            ScheduledExecutorService sender = Executors.newSingleThreadScheduledExecutor();
            sender.scheduleAtFixedRate(() -> {
                for (TestPeer peer : peers) {
                    byte[] payload = new byte[160];
                    ByteBuffer.wrap(payload).putLong(System.nanoTime());
                    try {
                        peer.sendRtp(0, payload);
                        sent.incrementAndGet();
                    } catch (IOException | RuntimeException e) {
                        // counted as loss
                    }
                }
            }, 0, 20, TimeUnit.MILLISECONDS);
            Thread.sleep(3000);
            peers.forEach(TestPeer::clearReceived);
            long sentStart = sent.get();
            long relayCpuStart = cpuNanos(relay.pid());
            long toolCpuStart = ManagementFactory.getPlatformMXBean(com.sun.management.OperatingSystemMXBean.class)
                    .getProcessCpuTime();
            long start = System.nanoTime();
            List<Long> rtts = new ArrayList<>();
            long received = 0;
            while (System.nanoTime() - start < seconds * 1_000_000_000L) {
                for (TestPeer peer : peers) {
                    for (TestPeer.Received r : peer.collect(0)) {
                        received++;
                        rtts.add(r.receivedNanos() - ByteBuffer.wrap(r.payload()).getLong());
                    }
                }
                Thread.sleep(20);
            }
            long elapsed = System.nanoTime() - start;
            long sentCount = sent.get() - sentStart;
            long relayCpu = cpuNanos(relay.pid()) - relayCpuStart;
            long toolCpu = ManagementFactory.getPlatformMXBean(com.sun.management.OperatingSystemMXBean.class)
                    .getProcessCpuTime() - toolCpuStart;
            sender.shutdownNow();
            Collections.sort(rtts);
            long relayed = sentCount + received;
            double secs = elapsed / 1e9;
            System.out.printf("calls                     %d%n", calls);
            System.out.printf("packets relayed/s         %.0f (both directions)%n", relayed / secs);
            System.out.printf("loss                      %.2f %%%n", sentCount == 0 ? 0 : 100.0 * (sentCount - received) / sentCount);
            System.out.printf("round trip p50 / p99      %.2f / %.2f ms%n", pct(rtts, 50) / 1e6, pct(rtts, 99) / 1e6);
            System.out.printf("relay CPU per packet      %.1f us%n", relayed == 0 ? 0 : relayCpu / 1e3 / relayed);
            System.out.printf("relay CPU                 %.1f %% of one core%n", 100.0 * relayCpu / elapsed);
            System.out.printf("relay memory (RSS)        %d MiB with %d calls (idle relay: %d MiB)%n",
                    rssKib(relay.pid()) / 1024, calls, idleRssKib / 1024);
            System.out.printf("load tool CPU             %.1f %% of one core%n", 100.0 * toolCpu / elapsed);
            // where packets went, as the relay counts them (whole run, warm-up included)
            String metrics = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + http + "/q/metrics"))
                    .build(), HttpResponse.BodyHandlers.ofString()).body();
            metrics.lines().filter(l -> l.startsWith("relay_")).filter(l -> !l.endsWith(" 0.0"))
                    .forEach(l -> System.out.println("relay counter             " + l));
        } finally {
            peers.forEach(TestPeer::close);
            echo.close();
            relay.destroy();
            relay.waitFor(5, TimeUnit.SECONDS);
        }
    }

    private static void echo(DatagramChannel channel) {
        ByteBuffer buf = ByteBuffer.allocate(2048);
        while (channel.isOpen()) {
            try {
                buf.clear();
                SocketAddress from = channel.receive(buf);
                buf.flip();
                channel.send(buf, from);
            } catch (IOException e) {
                return;
            }
        }
    }

    private static long pct(List<Long> sorted, int p) {
        return sorted.isEmpty() ? 0 : sorted.get(Math.min(sorted.size() - 1, sorted.size() * p / 100));
    }

    /** utime + stime of a process from /proc, in nanoseconds (clock ticks of 10 ms assumed, USER_HZ=100). */
    private static long cpuNanos(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 10_000_000L;
    }

    private static long rssKib(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D", ""));
            }
        }
        return 0;
    }

    private static String post(HttpClient client, int port, String callId, String op, String sdp, String from,
                               String to) throws Exception {
        String body = "{\"sdp\":" + json(sdp) + ",\"from\":\"" + from + "\",\"to\":\"" + to
                + "\",\"fromTag\":\"a\",\"toTag\":\"b\"}";
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                + "/v1/sessions/" + callId + "/" + op)).header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException(op + " failed: " + r.body());
        }
        String text = r.body();
        int start = text.indexOf("\"sdp\":\"") + 7;
        return text.substring(start, text.lastIndexOf('"')).replace("\\r", "\r").replace("\\n", "\n");
    }

    private static String json(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\r", "\\r").replace("\n", "\\n") + "\"";
    }

    private static void waitReady(HttpClient client, int port, Process relay) throws Exception {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (System.nanoTime() < deadline) {
            if (!relay.isAlive()) {
                throw new IllegalStateException("the relay exited with " + relay.exitValue());
            }
            try {
                if (client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/q/health/ready"))
                        .build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not up yet
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("relay did not start");
    }

    private static int freeTcpPort() throws IOException {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static int freePort() throws IOException {
        try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static int intArg(String[] args, String name, int def) {
        return Integer.parseInt(stringArg(args, name, String.valueOf(def)));
    }

    private static String stringArg(String[] args, String name, String def) {
        for (int i = 0; i < args.length - 1; i++) {
            if (args[i].equals(name)) {
                return args[i + 1];
            }
        }
        return def;
    }
}
