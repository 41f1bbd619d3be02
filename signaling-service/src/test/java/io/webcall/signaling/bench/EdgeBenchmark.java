package io.webcall.signaling.bench;

import io.vertx.core.CompositeFuture;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;



import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * Edge versus Kamailio 5.6 over SIP over WebSocket on loopback, in one run: REGISTER/s, call setups/s to a sipp
 * UAS (the PBX), setup latency added by the proxy, memory per idle registered WebSocket, each server's CPU per
 * REGISTER and per call (from /proc), and the load client's own CPU. Calls are anchored at each server's media
 * server by default ({@code --media relay}: the edge with our relay, Kamailio with rtpengine; the client offers
 * WebRTC SDP, the PBX must get plain RTP/AVP and the client a WebRTC answer); {@code --media none} passes SDP
 * through unchanged (SIP path only). A command, not a test:
 * {@code bench/edge-vs-kamailio.sh} or
 * {@code ./mvnw -B -o -pl signaling-service exec:java -Dexec.classpathScope=test -Dexec.mainClass=io.webcall.signaling.bench.EdgeBenchmark}.
 */
public final class EdgeBenchmark {

    private final Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
    private final List<WebSocketClient> clients = new ArrayList<>();
    private final ProcessMeter self = new ProcessMeter(ProcessHandle.current().pid());
    private final BenchAccountService account;
    private final int seconds;
    private final int concurrency;
    private final int callConcurrency;
    private final int[] idleCounts;
    private final Map<String, Map<String, Double>> results = new LinkedHashMap<>();
    private int sipp;
    private int warmup = 30;
    private String only = "";
    /** EDGE_BENCH_TRACE=1: sipp logs every message, the client prints one answer per server (SDP checks by eye). */
    /** Where the client's WebRTC offers put their host candidate: counts what the media servers send there. */
    private final CandidateSink candidates = new CandidateSink();
    private static final boolean TRACE = "1".equals(System.getenv("EDGE_BENCH_TRACE"));
    /** Calls anchored at a media server (our relay / rtpengine) with a WebRTC offer from the client. */
    private boolean media = true;

    private EdgeBenchmark(BenchAccountService account, int seconds, int concurrency, int callConcurrency, int[] idleCounts, int sources) {
        this.account = account;
        this.seconds = seconds;
        this.concurrency = concurrency;
        this.callConcurrency = callConcurrency;
        this.idleCounts = idleCounts;
        for (int i = 1; i <= sources; i++) {
            clients.add(vertx.createWebSocketClient(new WebSocketClientOptions().setMaxConnections(1_000_000)
                    .setLocalAddress("127.0.0." + i).setConnectTimeout(20_000)));
        }
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> a = new LinkedHashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            a.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        int seconds = Integer.parseInt(a.getOrDefault("seconds", "6"));
        int conc = Integer.parseInt(a.getOrDefault("connections", "64"));
        int callConc = Integer.parseInt(a.getOrDefault("calls", "32"));
        // "max": as many idle connections as the descriptor limit allows each process (one descriptor per WebSocket on
        // each side, plus some for the JVM and the other phases), at most 50000
        long fdLimit = ProcessMeter.openFilesLimit();
        int maxIdle = (int) Math.min(50_000, fdLimit < 0 ? 10_000 : fdLimit - 1_500);
        int[] idle = Arrays.stream(a.getOrDefault("idle", "10000,max").split(","))
                .mapToInt(v -> v.equals("max") ? maxIdle : Integer.parseInt(v)).filter(n -> n > 0).distinct().toArray();
        if (maxIdle < 50_000) {
            System.out.printf("open files limit %d: at most %d idle connections per process here (50000 would need a limit above 51500)%n",
                    fdLimit, maxIdle);
        }
        int sources = Integer.parseInt(a.getOrDefault("sources", "4"));
        Path out = Path.of("target", "bench").toAbsolutePath();
        Files.createDirectories(out);
        long started = System.nanoTime();
        try (BenchAccountService account = new BenchAccountService()) {
            EdgeBenchmark b = new EdgeBenchmark(account, seconds, conc, callConc, idle, sources);
            b.only = a.getOrDefault("only", "");
            b.warmup = Integer.parseInt(a.getOrDefault("warmup", String.valueOf(b.warmup)));
            String mediaMode = a.getOrDefault("media", "relay");
            if (!mediaMode.equals("relay") && !mediaMode.equals("none")) {
                throw new IllegalArgumentException("--media relay|none, not " + mediaMode);
            }
            b.media = mediaMode.equals("relay");
            b.run(out);
        } catch (Exception e) {
            System.out.println("benchmark failed: " + e);
            e.printStackTrace(System.out);
        } finally {
            System.out.printf("total run time %.0f s%n", (System.nanoTime() - started) / 1e9);
            System.exit(0);
        }
    }

    private void run(Path out) throws Exception {
        sipp = ServerProcess.freeUdpPort();
        List<String> sippCmd = new ArrayList<>(List.of("/usr/bin/sipp", "-sf", "src/test/resources/bench/pbx-answers-every-call.xml", "-i", "127.0.0.1",
                "-p", String.valueOf(sipp), "-mp", String.valueOf(ServerProcess.freeUdpPort()), "-nostdin", "-bg", "-trace_err", "-error_file",
                out.resolve("sipp-errors.log").toString(), "-timeout", "600s"));
        if (TRACE) {
            // every message the PBX sees, for checking the SDP by eye (slows sipp down: not for measured runs)
            sippCmd.addAll(List.of("-trace_msg", "-message_file", out.resolve("sipp-messages.log").toString()));
        }
        Process uas = new ProcessBuilder(sippCmd)
                .redirectErrorStream(true).redirectOutput(out.resolve("sipp.log").toFile()).start();
        account.setPbx("sip:127.0.0.1:" + sipp);
        Thread.sleep(500);
        System.out.printf("load client: Vert.x, 2 event loops, %d source addresses; sipp UAS (PBX) on udp 127.0.0.1:%d; %d s per phase after %d s warm-up; load average %s%n",
                clients.size(), sipp, seconds, warmup, ProcessMeter.loadAverage());
        System.out.println(media
                ? "media: anchored (--media relay): the client offers WebRTC SDP; the edge goes through our media relay, Kamailio through rtpengine; "
                        + "the PBX must get plain RTP/AVP, the client a WebRTC answer"
                : "media: none (--media none): SDP passes through both servers unchanged, the call figures are the SIP path only");
        try {
            Map<String, Double> direct = latency(null, null);
            System.out.printf("direct to sipp (no proxy): setup p50 %.2f ms, p99 %.2f ms%n", direct.get("p50"), direct.get("p99"));
            if (!"kamailio".equals(only)) {
                try (ServerProcess edge = ServerProcess.edge(account, media ? MediaServer.relay(out) : null, out)) {
                    measure(edge, direct, true);
                }
            }
            if (!"edge".equals(only)) {
                try (ServerProcess kam = ServerProcess.kamailio(sipp, Arrays.stream(idleCounts).max().orElse(0) + 2 * (concurrency + callConcurrency) + 100,
                        media ? MediaServer.rtpengine(out) : null, out)) {
                    measure(kam, direct, false);
                }
            }
            if (results.size() == 2) {
                print();
            }
            long badAnswers = LoadUa.ANSWERS_NOT_WEBRTC.get();
            long badOffers = LoadUa.OFFERS_NOT_PLAIN.get();
            System.out.printf("%nSDP checks over the whole run: %d answers to the client not WebRTC, %d offers reaching the PBX not plain RTP/AVP%s%n",
                    badAnswers, badOffers, badAnswers + badOffers == 0 ? "" : "  <== SDP CHECK FAILED, see the failures above");
        } finally {
            pkillTree(uas);
            candidates.close();
        }
    }

    private static void pkillTree(Process p) {
        p.descendants().forEach(ProcessHandle::destroy);
        p.destroy();
        // sipp -bg forks: the background sipp is our child's child or reparented; find it by its listening port in its command line
        ProcessHandle.allProcesses().filter(h -> h.info().commandLine().map(c -> c.contains("pbx-answers-every-call.xml")).orElse(false)
                && h.parent().map(pp -> pp.pid() == 1 || pp.pid() == ProcessHandle.current().pid()).orElse(false))
                .forEach(ProcessHandle::destroy);
    }

    private void measure(ServerProcess s, Map<String, Double> direct, boolean edge) throws Exception {
        Map<String, Double> r = new LinkedHashMap<>();
        results.put(s.name, r);
        System.out.printf("%n== %s (pid %d%s) ==%n", s.name, s.process.pid(),
                s.media == null ? ", no media server" : ", media server " + s.media.name + " pid " + s.media.process.pid());
        // idle connections first: the call phase leaves transactions in their RFC 6026 / Timer K wait (up to 32 s)
        // that would otherwise be freed while the idle connections are measured
        for (int n : idleCounts) {
            idle(s, r, n, edge);
        }
        System.out.printf("load average %s%n", ProcessMeter.loadAverage());
        // REGISTER: ours with a bearer token (RFC 8898), Kamailio with a digest challenge on every REGISTER
        if (edge) {
            registers(s, r, "reg_digest", "REGISTER/s, digest challenge each", i -> "d" + i, false);
            registers(s, r, "reg_token", "REGISTER/s, bearer token", i -> "b" + i, true);
        } else {
            registers(s, r, "reg_digest", "REGISTER/s, digest challenge each", i -> "k" + i, false);
        }
        // calls under load first, then the setup latency one call at a time: like every other figure, the latency is
        // measured on warm code (the call path of the server and of its media server: the call phase's warm-up and
        // window are tens of thousands of calls; the latency phase's own warm-up, one call at a time, is a few hundred)
        calls(s, r, edge);
        // the sipp baseline is measured right before each server's latency phase: the machine's load drifts
        direct = latency(null, null);
        LoadUa.SHOW_NEXT_ANSWER.set(TRACE);
        Map<String, double[]> relay0 = edge ? s.relayRequestTimes() : Map.of();
        Map<String, Double> lat = latency(s, edge);
        Map<String, double[]> relay1 = edge ? s.relayRequestTimes() : Map.of();
        r.put("p50", lat.get("p50") - direct.get("p50"));
        r.put("p99", lat.get("p99") - direct.get("p99"));
        System.out.printf("setup latency, one call at a time: through %s p50 %.2f ms p99 %.2f ms; straight to sipp p50 %.2f ms p99 %.2f ms; added p50 %.2f ms p99 %.2f ms%n",
                s.name, lat.get("p50"), lat.get("p99"), direct.get("p50"), direct.get("p99"), r.get("p50"), r.get("p99"));
        printRelayTimes("  edge's relay requests in that phase", relay0, relay1);
    }

    /** A fresh registered WebSocket for {@code user}. */
    private Future<LoadUa> open(ServerProcess s, int i, String user, boolean token) {
        WebSocketClient c = clients.get(i % clients.size());
        return SipChannel.ws(c, s.wsPort, s.wsPath).compose(ch -> {
            LoadUa ua = new LoadUa(ch, user, BenchAccountService.DOMAIN, "pbx");
            Future<Void> reg = token ? ua.register(account.token(user), null, 3600) : ua.register(null, BenchAccountService.PASSWORD, 3600);
            return reg.map(v -> ua);
        });
    }

    private List<LoadUa> openAll(ServerProcess s, int n, Function<Integer, String> user, boolean token, long timeoutSec) throws Exception {
        List<LoadUa> uas = java.util.Collections.synchronizedList(new ArrayList<>());
        AtomicInteger next = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        Promise<Void> all = Promise.promise();
        AtomicInteger settled = new AtomicInteger();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSec);
        Runnable[] step = new Runnable[1];
        step[0] = () -> {
            int i = next.getAndIncrement();
            if (i >= n || System.nanoTime() > deadline) {
                if (settled.get() >= Math.min(n, next.get() - 1) || i == n) {
                    // completion is signalled by the counter below
                }
                return;
            }
            String u = user.apply(i);
            String tok = token ? account.token(u) : null;
            WebSocketClient c = clients.get(i % clients.size());
            SipChannel.ws(c, s.wsPort, s.wsPath).compose(ch -> {
                LoadUa ua = new LoadUa(ch, u, BenchAccountService.DOMAIN, "pbx");
                uas.add(ua);
                return tok != null ? ua.register(tok, null, 3600) : ua.register(null, BenchAccountService.PASSWORD, 3600);
            }).onComplete(ar -> {
                if (ar.failed()) {
                    if (failed.incrementAndGet() <= 3) {
                        System.out.println("  open/register failed: " + ar.cause().getMessage());
                    }
                }
                if (settled.incrementAndGet() >= n) {
                    all.tryComplete();
                }
                step[0].run();
            });
        };
        for (int k = 0; k < Math.min(256, n); k++) {
            vertx.runOnContext(v -> step[0].run());
        }
        try {
            all.future().toCompletionStage().toCompletableFuture().get(timeoutSec + 5, TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            System.out.printf("  only %d of %d settled within %d s%n", settled.get(), n, timeoutSec);
        }
        if (failed.get() > 0) {
            System.out.printf("  %d of %d registrations failed%n", failed.get(), n);
        }
        return uas;
    }

    private void closeAll(List<LoadUa> uas) throws Exception {
        List<Future<?>> f = new ArrayList<>();
        synchronized (uas) {
            for (LoadUa ua : uas) {
                f.add(ua.ch.close());
            }
        }
        Future.join(new ArrayList<>(f)).toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    }

    /** REGISTER refreshes from {@code concurrency} connections, one outstanding each, for {@code seconds}. */
    private void registers(ServerProcess s, Map<String, Double> r, String key, String label, Function<Integer, String> user, boolean token)
            throws Exception {
        List<LoadUa> uas = openAll(s, concurrency, user, token, 30);
        Map<String, String> tokens = new java.util.concurrent.ConcurrentHashMap<>();
        if (token) {
            for (LoadUa ua : uas) {
                tokens.put(ua.user, account.token(ua.user));
            }
        }
        // warm-up (JIT, caches), then the measured window
        loop(uas, warmup, ua -> token ? ua.register(tokens.get(ua.user), null, 3600) : ua.register(null, BenchAccountService.PASSWORD, 3600), null);
        Window w = new Window(s);
        long[] done = loop(uas, seconds, ua -> token ? ua.register(tokens.get(ua.user), null, 3600)
                : ua.register(null, BenchAccountService.PASSWORD, 3600), null);
        w.end();
        double rate = done[0] / w.seconds;
        r.put(key, rate);
        r.put(key + "_cpu", w.serverCpu / (double) Math.max(1, done[0]));
        r.put(key + "_client", w.clientCpuPct());
        System.out.printf("%-36s %8.0f /s  (%d ok, %d failed)  server CPU %6.1f us/REGISTER  server %3.0f%% of a core  client %3.0f%%%s%n",
                label, rate, done[0], done[1], r.get(key + "_cpu"), w.serverCpuPct(), w.clientCpuPct(), w.notes());
        closeAll(uas);
    }

    /** Unloaded setup latency: one connection, one call at a time. Without a server: straight to sipp over UDP. */
    private Map<String, Double> latency(ServerProcess s, Boolean edge) throws Exception {
        List<LoadUa> uas;
        if (s == null) {
            SipChannel ch = SipChannel.udp(vertx, sipp).toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
            uas = List.of(new LoadUa(ch, "lat", BenchAccountService.DOMAIN, "pbx"));
        } else {
            uas = openAll(s, 1, i -> edge ? "lat" : "klat", edge, 10);
            uas.forEach(ua -> ua.webrtcCandidatePort = media ? candidates.port() : 0);
        }
        loop(uas, 1, LoadUa::call, null);
        List<Long> samples = java.util.Collections.synchronizedList(new ArrayList<>());
        loop(uas, Math.max(2, seconds / 2), LoadUa::call, samples);
        closeAll(new ArrayList<>(uas));
        long[] ns = samples.stream().mapToLong(Long::longValue).sorted().toArray();
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("p50", ns.length == 0 ? Double.NaN : ns[ns.length / 2] / 1e6);
        m.put("p99", ns.length == 0 ? Double.NaN : ns[Math.min(ns.length - 1, (int) (ns.length * 0.99))] / 1e6);
        return m;
    }

    /** Calls INVITE -> 200 -> ACK -> BYE -> 200 from {@code callConcurrency} registered connections for {@code seconds}. */
    private void calls(ServerProcess s, Map<String, Double> r, boolean edge) throws Exception {
        List<LoadUa> uas = openAll(s, callConcurrency, i -> (edge ? "c" : "kc") + i, edge, 30);
        uas.forEach(ua -> ua.webrtcCandidatePort = media ? candidates.port() : 0);
        loop(uas, warmup, LoadUa::call, null);
        long toCandidate0 = candidates.datagrams();
        long badAnswers0 = LoadUa.ANSWERS_NOT_WEBRTC.get();
        long badOffers0 = LoadUa.OFFERS_NOT_PLAIN.get();
        List<Long> samples = java.util.Collections.synchronizedList(new ArrayList<>());
        // EDGE_PROFILER_EVENT: what to sample (async-profiler options), e.g. "event=alloc" for allocations
        String event = System.getenv().getOrDefault("EDGE_PROFILER_EVENT", "event=cpu,interval=1ms,threads");
        s.profiler("start," + event);
        Map<String, double[]> relay0 = edge ? s.relayRequestTimes() : Map.of();
        Window w = new Window(s);
        long[] done = loop(uas, seconds, LoadUa::call, samples);
        w.end();
        Map<String, double[]> relay1 = edge ? s.relayRequestTimes() : Map.of();
        s.profiler("stop,file=" + Path.of("target", "bench", "edge-calls.collapsed").toAbsolutePath() + ",collapsed");
        double rate = done[0] / w.seconds;
        r.put("cps", rate);
        r.put("cps_cpu", w.serverCpu / (double) Math.max(1, done[0]));
        r.put("cps_client", w.clientCpuPct());
        long[] ns = samples.stream().mapToLong(Long::longValue).sorted().toArray();
        double p50 = ns.length == 0 ? Double.NaN : ns[ns.length / 2] / 1e6;
        double p99 = ns.length == 0 ? Double.NaN : ns[Math.min(ns.length - 1, (int) (ns.length * 0.99))] / 1e6;
        r.put("cps_p50", p50);
        r.put("cps_p99", p99);
        System.out.printf("%-36s %8.0f /s  (%d ok, %d failed)  server CPU %6.1f us/call  server %3.0f%% of a core  client %3.0f%%  setup under load p50 %.1f ms p99 %.1f ms%s%n",
                "call setups/s (" + callConcurrency + " in parallel)", rate, done[0], done[1], r.get("cps_cpu"), w.serverCpuPct(),
                w.clientCpuPct(), p50, p99, w.notes());
        if (s.media != null) {
            r.put("cps_media_cpu", w.mediaCpu / (double) Math.max(1, done[0]));
            r.put("cps_sum_cpu", (w.serverCpu + w.mediaCpu) / (double) Math.max(1, done[0]));
            System.out.printf("%-36s media server (%s) CPU %6.1f us/call  %3.0f%% of a core%s;  signaling + media %6.1f us/call;"
                            + "  %.1f datagrams per call sent to the client's candidate (unanswered)%n",
                    "  media in the same window", s.media.name, r.get("cps_media_cpu"), w.mediaCpuPct(),
                    s.media.name.equals("relay") ? String.format("  [JIT %2.0f%% of relay CPU]", w.mediaJitPct()) : "", r.get("cps_sum_cpu"),
                    (candidates.datagrams() - toCandidate0) / (double) Math.max(1, done[0]));
        }
        printRelayTimes("  edge's relay requests in the window", relay0, relay1);
        long badAnswers = LoadUa.ANSWERS_NOT_WEBRTC.get() - badAnswers0;
        long badOffers = LoadUa.OFFERS_NOT_PLAIN.get() - badOffers0;
        System.out.printf("%-36s %d answers to the client not WebRTC, %d offers reaching the PBX not plain RTP/AVP%s%n", "  SDP checks in the window",
                badAnswers, badOffers, badAnswers + badOffers == 0 ? (media ? " (every answer checked)" : " (plain offers, answers not checked)")
                        : "  <== SDP CHECK FAILED");
        closeAll(uas);
    }

    /**
     * The edge's own account of its relay requests between two readings of its {@code webcall_edge_relay_request_seconds}
     * timers: per operation how many, and the mean time from sending one to having its whole answer. Says how much of
     * the setup latency is spent waiting for the relay. Nothing printed when the edge has no such timers (an older build
     * or no media).
     */
    private static void printRelayTimes(String label, Map<String, double[]> before, Map<String, double[]> after) {
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<String, double[]> e : after.entrySet()) {
            double[] b = before.getOrDefault(e.getKey(), new double[2]);
            double n = e.getValue()[0] - b[0];
            if (n > 0) {
                sb.append(String.format("  %s %.0f, mean %.2f ms;", e.getKey(), n, (e.getValue()[1] - b[1]) * 1e3 / n));
            }
        }
        if (sb.length() > 0) {
            System.out.printf("%-36s%s%n", label, sb);
        }
    }

    /** Memory per idle registered WebSocket: server PSS (and the edge's live heap) before and after {@code n} of them. */
    private void idle(ServerProcess s, Map<String, Double> r, int n, boolean edge) throws Exception {
        // the same rule as every other phase: --warmup seconds of the same load first (batches of new WebSockets with
        // a digest REGISTER each, other users than the measured ones, closed again), so JIT compilation and the
        // first-use costs of the connection path are not billed to the measured connections
        long warmStart = System.nanoTime();
        long warmEnd = warmStart + TimeUnit.SECONDS.toNanos(warmup);
        int warmed = 0;
        for (int round = 0; System.nanoTime() < warmEnd; round++) {
            String prefix = (edge ? "w" : "kw") + round + "x";
            List<LoadUa> batch = openAll(s, Math.min(n, 1000), i -> prefix + i, false, 30);
            warmed += batch.size();
            closeAll(batch);
        }
        System.out.printf("warm-up: %d WebSockets opened, registered and closed in %.1f s%n", warmed, (System.nanoTime() - warmStart) / 1e9);
        Thread.sleep(1000);
        long heap0 = edge ? s.heapAfterGc() : -1;
        long pss0 = s.meter.pssBytes();
        long t0 = System.nanoTime();
        Window w = new Window(s);
        // both servers with digest here: what an idle registration costs does not depend on how it was proven
        List<LoadUa> uas = openAll(s, n, i -> (edge ? "i" : "ki") + i, false, 120 + n / 100);
        w.end();
        double openSec = (System.nanoTime() - t0) / 1e9;
        r.put("accept" + n, uas.size() / openSec);
        r.put("accept_cpu" + n, w.serverCpu / (double) Math.max(1, uas.size()));
        System.out.printf("opening %d WebSockets (connect + digest REGISTER, 256 at a time): %.0f /s, server CPU %.1f us each, server %3.0f%% of a core, client %3.0f%%%s%n",
                n, uas.size() / openSec, r.get("accept_cpu" + n), w.serverCpuPct(), w.clientCpuPct(), w.notes());
        Thread.sleep(2000);
        long heap1 = edge ? s.heapAfterGc() : -1;
        long pss1 = s.meter.pssBytes();
        int open = uas.size();
        double perConn = (pss1 - pss0) / (double) Math.max(1, open);
        r.put("mem" + n, perConn);
        System.out.printf("idle registered WebSockets: %d opened+registered in %.1f s; memory (PSS) %.0f -> %.0f MB = %.1f KB each%s%n",
                open, openSec, pss0 / 1e6, pss1 / 1e6, perConn / 1024,
                edge ? String.format("; live heap after GC %.1f -> %.1f MB = %.1f KB each", heap0 / 1e6, heap1 / 1e6,
                        (heap1 - heap0) / (double) Math.max(1, open) / 1024) : "");
        if (edge) {
            r.put("heap" + n, (heap1 - heap0) / (double) Math.max(1, open));
        }
        closeAll(uas);
    }

    /** Runs {@code op} back to back on every UA for {@code sec} seconds; {ok, failed}. */
    private long[] loop(List<LoadUa> uas, int sec, Function<LoadUa, Future<?>> op, List<Long> latencies) throws Exception {
        AtomicLong ok = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(sec);
        List<Future<?>> lanes = new ArrayList<>();
        for (LoadUa ua : uas) {
            Promise<Void> lane = Promise.promise();
            lanes.add(lane.future());
            Runnable[] next = new Runnable[1];
            next[0] = () -> {
                if (System.nanoTime() > deadline) {
                    lane.tryComplete();
                    return;
                }
                Future<?> f = op.apply(ua);
                long timer = vertx.setTimer(5000, t -> {
                    // no answer within 5 s: counted as failed, the lane stops (its UA may still be inside a transaction)
                    if (failed.incrementAndGet() <= 3) {
                        System.out.println("  failed: no final answer within 5 s");
                    }
                    lane.tryComplete();
                });
                f.onComplete(ar -> {
                    vertx.cancelTimer(timer);
                    if (ar.succeeded()) {
                        ok.incrementAndGet();
                        if (latencies != null && ar.result() instanceof Long l) {
                            latencies.add(l);
                        }
                        next[0].run();
                    } else {
                        if (failed.incrementAndGet() <= 3) {
                            System.out.println("  failed: " + ar.cause().getMessage());
                        }
                        vertx.setTimer(50, t -> next[0].run());
                    }
                });
            };
            vertx.runOnContext(v -> next[0].run());
        }
        Future.join(lanes).toCompletionStage().toCompletableFuture().get(sec + 15L, TimeUnit.SECONDS);
        return new long[] {ok.get(), failed.get()};
    }

    /** CPU of the server and of this load client over a measured window. */
    private final class Window {
        final ServerProcess s;
        final long start = System.nanoTime();
        final long server0;
        final long client0;
        final long jit0;
        final long media0;
        final long mediaJit0;
        final String load0 = ProcessMeter.loadAverage();
        long serverCpu;
        long clientCpu;
        long jitCpu;
        long mediaCpu;
        long mediaJitCpu;
        double seconds;

        Window(ServerProcess s) {
            this.s = s;
            server0 = s.meter.cpuMicros();
            client0 = self.cpuMicros();
            jit0 = s.meter.threadCpuMicros("C2 Compiler") + s.meter.threadCpuMicros("C1 Compiler");
            media0 = s.media == null ? 0 : s.media.meter.cpuMicros();
            mediaJit0 = s.media == null ? 0 : s.media.meter.threadCpuMicros("C2 Compiler") + s.media.meter.threadCpuMicros("C1 Compiler");
        }

        void end() {
            seconds = (System.nanoTime() - start) / 1e9;
            serverCpu = s.meter.cpuMicros() - server0;
            clientCpu = self.cpuMicros() - client0;
            jitCpu = s.meter.threadCpuMicros("C2 Compiler") + s.meter.threadCpuMicros("C1 Compiler") - jit0;
            if (s.media != null) {
                mediaCpu = s.media.meter.cpuMicros() - media0;
                mediaJitCpu = s.media.meter.threadCpuMicros("C2 Compiler") + s.media.meter.threadCpuMicros("C1 Compiler") - mediaJit0;
            }
        }

        double mediaCpuPct() {
            return mediaCpu / 1e4 / seconds;
        }

        double mediaJitPct() {
            return mediaCpu == 0 ? 0.0 : 100.0 * mediaJitCpu / mediaCpu;
        }

        /** The JIT compiler's share of the server's CPU in the window (0 for a native server) and the load average. */
        String notes() {
            return String.format("  [JIT %2.0f%% of server CPU; load %s -> %s]", serverCpu == 0 ? 0.0 : 100.0 * jitCpu / serverCpu,
                    load0, ProcessMeter.loadAverage());
        }

        double serverCpuPct() {
            return serverCpu / 1e4 / seconds;
        }

        double clientCpuPct() {
            return clientCpu / 1e4 / seconds;
        }
    }

    private void print() {
        Map<String, Double> e = results.get("edge");
        Map<String, Double> k = results.get("kamailio");
        System.out.printf("%n== ours / Kamailio 5.6 ==%n");
        System.out.printf("%-58s %12s %12s %8s%n", "figure", "edge", "kamailio", "ratio");
        row("REGISTER/s (edge: token; kamailio: digest)", e.get("reg_token"), k.get("reg_digest"), "higher is better");
        row("REGISTER/s (both digest, challenge on each)", e.get("reg_digest"), k.get("reg_digest"), "higher is better");
        row("CPU us per REGISTER (edge: token; kamailio: digest)", e.get("reg_token_cpu"), k.get("reg_digest_cpu"), "lower is better");
        row("CPU us per REGISTER (both digest)", e.get("reg_digest_cpu"), k.get("reg_digest_cpu"), "lower is better");
        row(media ? "call setups/s (media anchored)" : "call setups/s (SIP path only)", e.get("cps"), k.get("cps"), "higher is better");
        if (media) {
            row("CPU us per call, signaling server", e.get("cps_cpu"), k.get("cps_cpu"), "lower is better");
            row("CPU us per call, media server (relay / rtpengine)", e.get("cps_media_cpu"), k.get("cps_media_cpu"), "lower is better");
            row("CPU us per call, signaling + media", e.get("cps_sum_cpu"), k.get("cps_sum_cpu"), "lower is better");
        } else {
            row("CPU us per call (SIP path only, no media server)", e.get("cps_cpu"), k.get("cps_cpu"), "lower is better");
        }
        row("setup latency under load p50 (ms)", e.get("cps_p50"), k.get("cps_p50"), "lower is better");
        row("setup latency under load p99 (ms)", e.get("cps_p99"), k.get("cps_p99"), "lower is better");
        row("setup latency added p50 (ms)", e.get("p50"), k.get("p50"), "lower is better");
        row("setup latency added p99 (ms)", e.get("p99"), k.get("p99"), "lower is better");
        for (int n : idleCounts) {
            row("new WebSockets + REGISTER per second (" + n + ")", e.get("accept" + n), k.get("accept" + n), "higher is better");
            row("CPU us per new WebSocket + REGISTER (" + n + ")", e.get("accept_cpu" + n), k.get("accept_cpu" + n), "lower is better");
        }
        for (int n : idleCounts) {
            row("memory (PSS) KB per idle registered WS at " + n, kb(e.get("mem" + n)), kb(k.get("mem" + n)), "lower is better");
            System.out.printf("%-58s %12.2f%n", "  edge live heap KB per idle registered WS at " + n, kb(e.get("heap" + n)));
        }
        System.out.printf("%-58s %11.0f%% %11.0f%%%n", "load client CPU during REGISTER (token / digest)",
                e.get("reg_token_client"), k.get("reg_digest_client"));
        System.out.printf("%-58s %11.0f%% %11.0f%%%n", "load client CPU during calls", e.get("cps_client"), k.get("cps_client"));
    }

    private static Double kb(Double bytes) {
        return bytes == null ? null : bytes / 1024;
    }

    private static void row(String name, Double ours, Double theirs, String note) {
        if (ours == null || theirs == null) {
            return;
        }
        System.out.printf("%-58s %12.2f %12.2f %8.2f  (%s)%n", name, ours, theirs, ours / theirs, note);
    }
}
