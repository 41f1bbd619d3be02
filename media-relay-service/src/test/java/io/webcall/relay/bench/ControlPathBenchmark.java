package io.webcall.relay.bench;

import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The relay's per-call control path, without media: offer (browser-like WebRTC offer toward a plain RTP side),
 * answer (a PBX's RTP/AVP answer) and delete, over the HTTP control API of the packaged relay in its own JVM, the way
 * the signaling edge drives it for a call that carries no media (no ICE check arrives, no DTLS record).
 *
 * <p>Prints per relay: CPU microseconds per call (utime+stime of the relay from /proc over the window), the share of
 * that CPU spent by the JIT compiler (its C1/C2 compiler threads' CPU from {@code /proc/<pid>/task}),
 * threads the relay started per call ({@code java.threads.started}), calls per second, and the latency of each request
 * and of offer+answer+delete (p50/p99) as the client sees it. {@code --concurrency 1} is one call at a time (the
 * latency a call adds); a larger value keeps that many calls in flight (throughput and CPU per call under load).
 * {@code --jar} and {@code --alt-jar} (one or more, comma-separated) run builds one after the other in the same run,
 * {@code --rounds} times in turn, for a paired comparison.
 */
public final class ControlPathBenchmark {

    /** async-profiler options for each measured window (e.g. {@code event=cpu,interval=1ms}), or null. */
    private static String profile;
    private static final String PROFILER = System.getProperty("profiler.lib", "/tmp/ap/linux-x64/libasyncProfiler.so");

    private ControlPathBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> a = new LinkedHashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            a.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        Path jar = Path.of(a.getOrDefault("jar", "target/quarkus-app/quarkus-run.jar"));
        String alt = a.get("alt-jar");
        profile = a.get("profile");
        int warmup = Integer.parseInt(a.getOrDefault("warmup", "3000"));
        int calls = Integer.parseInt(a.getOrDefault("calls", "3000"));
        int rounds = Integer.parseInt(a.getOrDefault("rounds", "1"));
        List<Integer> concurrency = Arrays.stream(a.getOrDefault("concurrency", "1,8").split(","))
                .map(Integer::parseInt).toList();
        List<String> jvm = new ArrayList<>(List.of("-Xms256m", "-Xmx2g", "-XX:+UseG1GC"));
        if (a.containsKey("relay-jvm")) {
            jvm.addAll(Arrays.asList(a.get("relay-jvm").trim().split("\\s+")));
        }
        System.out.printf("relay control path: %d warm-up calls, %d calls per window, concurrency %s, load average %s%n",
                warmup, calls, concurrency, loadAverage());
        List<Path> jars = new ArrayList<>();
        for (int r = 0; r < rounds; r++) {
            jars.add(jar);
            if (alt != null) {
                for (String other : alt.split(",")) {
                    jars.add(Path.of(other));
                }
            }
        }
        int base = 30000;
        for (Path j : jars) {
            run(j, jvm, warmup, calls, concurrency, base);
            base = base >= 38000 ? 30000 : base + 4000;
        }
    }

    private static void run(Path jar, List<String> jvm, int warmup, int calls, List<Integer> concurrency, int rtpBase)
            throws Exception {
        try (DatagramSocket sink = new DatagramSocket(0, InetAddress.getLoopbackAddress());
             OurRelayTarget relay = new OurRelayTarget(jar.toString(), jar, rtpBase, jvm)) {
            relay.start(sink.getLocalPort());
            String base = relay.controlUrl();
            HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(Duration.ofSeconds(5)).build();
            int sinkPort = sink.getLocalPort();
            AtomicLong seq = new AtomicLong();
            drive(client, base, sinkPort, seq, warmup, Math.max(4, concurrency.get(concurrency.size() - 1)), null);
            System.out.printf("%n== %s (pid %d), load average %s ==%n", jar, relay.pid(), loadAverage());
            System.out.printf("%5s %8s %9s %6s %9s %15s %15s %15s %15s%n", "conc", "calls/s", "CPU us/call", "JIT%",
                    "thr/call", "offer p50/p99", "answer p50/p99", "delete p50/p99", "call p50/p99 ms");
            for (int c : concurrency) {
                Map<String, Double> before = perfCounters(relay.pid());
                String profileFile = null;
                if (profile != null) {
                    profileFile = "/tmp/relay-control-" + relay.pid() + "-c" + c + "-" + profile.replaceAll("[^a-z0-9]", "")
                            + ".collapsed";
                    jcmd(relay.pid(), "JVMTI.agent_load", PROFILER, "\"start," + profile + "\"");
                }
                long jit0 = compilerCpuNanos(relay.pid());
                long cpu0 = ProcStat.cpuNanos(relay.pid());
                long t0 = System.nanoTime();
                long[][] lat = new long[4][calls];
                drive(client, base, sinkPort, seq, calls, c, lat);
                long wall = System.nanoTime() - t0;
                long cpu = ProcStat.cpuNanos(relay.pid()) - cpu0;
                double jitNanos = compilerCpuNanos(relay.pid()) - jit0;
                if (profileFile != null) {
                    jcmd(relay.pid(), "JVMTI.agent_load", PROFILER, "\"stop,collapsed,file=" + profileFile + "\"");
                    System.out.println("profile of the window: " + profileFile);
                }
                Map<String, Double> after = perfCounters(relay.pid());
                double threads = after.getOrDefault("java.threads.started", 0.0) - before.getOrDefault("java.threads.started", 0.0);
                System.out.printf("%5d %8.0f %9.0f %5.0f%% %9.2f %15s %15s %15s %15s%n", c, calls * 1e9 / wall,
                        cpu / 1000.0 / calls, cpu > 0 ? 100.0 * jitNanos / cpu : 0, threads / calls, pct(lat[0]),
                        pct(lat[1]), pct(lat[2]), pct(lat[3]));
            }
            System.out.printf("load average %s; relay threads now: %d %s%n", loadAverage(), threadCount(relay.pid()),
                    threadNames(relay.pid()));
        }
    }

    /** Runs {@code n} calls with {@code c} in flight; per call the latency of offer, answer, delete and their sum. */
    private static void drive(HttpClient client, String base, int sinkPort, AtomicLong seq, int n, int c, long[][] lat)
            throws Exception {
        AtomicInteger next = new AtomicInteger();
        List<Thread> workers = new ArrayList<>();
        AtomicInteger failures = new AtomicInteger();
        for (int w = 0; w < c; w++) {
            Thread t = new Thread(() -> {
                int i;
                while ((i = next.getAndIncrement()) < n) {
                    long k = seq.incrementAndGet();
                    String callId = "ctl-" + k + "@bench";
                    try {
                        long t0 = System.nanoTime();
                        post(client, base, callId, "offer", offerJson(k, sinkPort));
                        long t1 = System.nanoTime();
                        post(client, base, callId, "answer", answerJson(sinkPort));
                        long t2 = System.nanoTime();
                        HttpResponse<Void> d = client.send(HttpRequest.newBuilder(URI.create(base + "/v1/sessions/"
                                + callId)).DELETE().build(), HttpResponse.BodyHandlers.discarding());
                        long t3 = System.nanoTime();
                        if (d.statusCode() != 204) {
                            throw new IllegalStateException("delete: " + d.statusCode());
                        }
                        if (lat != null) {
                            lat[0][i] = t1 - t0;
                            lat[1][i] = t2 - t1;
                            lat[2][i] = t3 - t2;
                            lat[3][i] = t3 - t0;
                        }
                    } catch (Exception e) {
                        if (failures.incrementAndGet() <= 3) {
                            System.out.println("call " + callId + " failed: " + e.getMessage());
                        }
                    }
                }
            }, "control-client-" + w);
            t.start();
            workers.add(t);
        }
        for (Thread t : workers) {
            t.join();
        }
        if (failures.get() > 0) {
            System.out.println(failures.get() + " calls failed");
        }
    }

    private static void post(HttpClient client, String base, String callId, String op, String body) throws Exception {
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(base + "/v1/sessions/" + callId + "/" + op))
                .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException(op + ": " + r.statusCode() + " " + r.body());
        }
    }

    /** The browser-like offer the signaling edge's benchmark sends (opus and PCMU, BUNDLE, rtcp-mux, actpass). */
    private static String offerJson(long n, int candidatePort) {
        String ufrag = "u" + Long.toString(n, 36) + "bch";
        String sdp = "v=0\r\no=- " + (4_611_731_400_430_051_336L + n) + " 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n"
                + "a=group:BUNDLE 0\r\na=extmap-allow-mixed\r\na=msid-semantic: WMS bench\r\n"
                + "m=audio 9 UDP/TLS/RTP/SAVPF 111 0\r\nc=IN IP4 0.0.0.0\r\na=rtcp:9 IN IP4 0.0.0.0\r\n"
                + "a=candidate:2725361398 1 udp 2122260223 127.0.0.1 " + candidatePort
                + " typ host generation 0 network-id 1\r\n"
                + "a=ice-ufrag:" + ufrag + "\r\na=ice-pwd:"
                + ("p" + Long.toString(n, 36) + "benchmarkicepassword0123456789").substring(0, 24) + "\r\n"
                + "a=ice-options:trickle\r\n"
                + "a=fingerprint:sha-256 3A:96:6D:57:B2:C2:C7:61:A0:46:3E:1C:97:39:D3:F7:0A:88:A0:B1:EC:03:FB:10:A5:5D:"
                + "3E:37:AB:DD:02:AA\r\na=setup:actpass\r\na=mid:0\r\n"
                + "a=extmap:1 urn:ietf:params:rtp-hdrext:ssrc-audio-level\r\na=sendrecv\r\na=msid:bench audio0\r\n"
                + "a=rtcp-mux\r\na=rtpmap:111 opus/48000/2\r\na=rtcp-fb:111 transport-cc\r\n"
                + "a=fmtp:111 minptime=10;useinbandfec=1\r\na=rtpmap:0 PCMU/8000\r\na=ssrc:" + (1_000_000 + n % 1_000_000)
                + " cname:bench\r\n";
        return "{\"sdp\":" + json(sdp) + ",\"from\":\"webrtc\",\"to\":\"rtp\",\"fromTag\":\"a" + n + "\"}";
    }

    private static String answerJson(int sinkPort) {
        String sdp = "v=0\r\no=pbx 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
                + "m=audio " + sinkPort + " RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\na=sendrecv\r\n";
        return "{\"sdp\":" + json(sdp) + ",\"from\":\"rtp\",\"to\":\"webrtc\",\"fromTag\":\"a\",\"toTag\":\"b\"}";
    }

    private static String json(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\r", "\\r").replace("\n", "\\n") + "\"";
    }

    private static String pct(long[] v) {
        long[] s = v.clone();
        Arrays.sort(s);
        return String.format("%.2f/%.2f", s[(int) (s.length * 0.5)] / 1e6, s[Math.min(s.length - 1, (int) (s.length * 0.99))] / 1e6);
    }

    /** HotSpot performance counters of a JVM ({@code jcmd <pid> PerfCounter.print}). */
    private static Map<String, Double> perfCounters(long pid) {
        Map<String, Double> out = new LinkedHashMap<>();
        try {
            Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                    Long.toString(pid), "PerfCounter.print").redirectErrorStream(true).start();
            for (String line : new String(p.getInputStream().readAllBytes()).split("\n")) {
                int eq = line.indexOf('=');
                if (eq > 0) {
                    try {
                        out.put(line.substring(0, eq), Double.parseDouble(line.substring(eq + 1).trim()));
                    } catch (NumberFormatException e) {
                        // a string counter
                    }
                }
            }
            p.waitFor();
        } catch (Exception e) {
            // no counters
        }
        return out;
    }

    /** CPU of the JVM's JIT compiler threads so far (their names start with "C1 Compiler" or "C2 Compiler"). */
    private static long compilerCpuNanos(long pid) {
        long sum = 0;
        try (var s = Files.list(Path.of("/proc/" + pid + "/task"))) {
            for (Path t : s.toList()) {
                try {
                    String comm = Files.readString(t.resolve("comm"));
                    if (comm.startsWith("C1 Compiler") || comm.startsWith("C2 Compiler")) {
                        String stat = Files.readString(t.resolve("stat"));
                        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                        sum += (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 10_000_000L;
                    }
                } catch (Exception e) {
                    // ended meanwhile
                }
            }
        } catch (Exception e) {
            return 0;
        }
        return sum;
    }

    private static void jcmd(long pid, String... command) {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                Long.toString(pid)));
        cmd.addAll(List.of(command));
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            if (p.waitFor() != 0 || !out.contains("return code: 0")) {
                System.out.println("jcmd " + String.join(" ", command) + ": " + out.trim());
            }
        } catch (Exception e) {
            System.out.println("jcmd failed: " + e.getMessage());
        }
    }

    private static int threadCount(long pid) {
        try (var s = Files.list(Path.of("/proc/" + pid + "/task"))) {
            return (int) s.count();
        } catch (Exception e) {
            return -1;
        }
    }

    /** The relay's threads by name with digits dropped ({@code /proc/<pid>/task/<tid>/comm}), most frequent first. */
    private static Map<String, Long> threadNames(long pid) {
        try (var s = Files.list(Path.of("/proc/" + pid + "/task"))) {
            Map<String, Long> counts = new java.util.TreeMap<>();
            s.forEach(t -> {
                try {
                    counts.merge(Files.readString(t.resolve("comm")).trim().replaceAll("[0-9]+", "#"), 1L, Long::sum);
                } catch (Exception e) {
                    // ended meanwhile
                }
            });
            Map<String, Long> sorted = new LinkedHashMap<>();
            counts.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(8)
                    .forEach(e -> sorted.put(e.getKey(), e.getValue()));
            return sorted;
        } catch (Exception e) {
            return Map.of();
        }
    }

    private static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (Exception e) {
            return "?";
        }
    }
}
