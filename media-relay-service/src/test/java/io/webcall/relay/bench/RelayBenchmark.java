package io.webcall.relay.bench;

import io.webcall.relay.dtls.DtlsIdentity;
import io.webcall.relay.ice.IceSystemDefaults;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Load command (not a test). For each server (a bare UDP forwarder as this machine's ceiling, rtpengine in
 * userspace mode, and the packaged relay, each in its own process) it ramps N simultaneous calls, each a
 * WebRTC leg (ICE + DTLS + SRTP, 50 packets/s of 160-byte PCMU) bridged to an RTP leg answered by a UDP
 * echo, and prints per step: packets/s relayed, loss, round trip (p50/p99), the server's CPU microseconds
 * per relayed packet, its memory per call, and the load tool's own CPU. The ramp stops at the first step
 * where no measured window had no loss and p99 under 50 ms; the largest N held is the last step before it. All legs are driven by
 * one event loop ({@link LoadLoop}); all traffic stays on 127.0.0.1.
 *
 * <pre>./mvnw -B -pl media-relay-service package -DskipTests
 * ./mvnw -B -o -q -pl media-relay-service exec:java -Dexec.classpathScope=test \
 *     -Dexec.mainClass=io.webcall.relay.bench.RelayBenchmark -Dexec.args="--steps 50,100,200,400,600,800"</pre>
 *
 * Options: {@code --steps} (call counts of the ramp), {@code --seconds} (measured per step, default 5),
 * {@code --targets} (forwarder,rtpengine,relay), {@code --max-loss} (percent a held step may lose, default 0),
 * {@code --attempts} (windows measured at a step before it counts as not held, default 2: one scheduling
 * stall on a shared machine should not end the ramp),
 * {@code --warmup} (seconds of load before the first step is measured, default 8: lets a JIT compile the packet
 * path, so the first figure is steady state; the same for every server),
 * {@code --send-slot-micros} (the load tool sends each call's packet in one of 20 ms / slot slots, default 1000:
 * the packets of N/20 calls leave back to back every millisecond; 100 spreads them ten times finer),
 * {@code --relay-jvm} (JVM options for the relay, space separated), {@code --jar}, {@code --rtpengine}
 * (/usr/bin/rtpengine); target {@code relay-alt} runs the relay again in the same run with {@code --alt-jar}
 * (default: the same jar) and {@code --alt-relay-jvm}, e.g. another setting or build to compare; with several
 * {@code relay-alt} targets, {@code --alt-relay-jvm} holds one option set per target, separated by {@code ;}
 * (used in turn: "relay (alt 1)", "relay (alt 2)", ...).
 */
public final class RelayBenchmark {

    private static final double MAX_P99_MILLIS = 50;
    private static double maxLossPercent;
    private static int attempts;
    private static int warmupSeconds;
    private static int sendSlotMicros;

    private RelayBenchmark() {
    }

    /** One measured step. */
    record Step(int calls, double packetsPerSecond, double lossPercent, double p50, double p99,
                double serverMicrosPerPacket, double serverCpuPercent, double memoryKibPerCall,
                double heapKibPerCall, double toolCpuPercent, String failure) {
        boolean held() {
            return failure == null && lossPercent <= maxLossPercent && p99 < MAX_P99_MILLIS;
        }
    }

    public static void main(String[] args) throws Exception {
        IceSystemDefaults.apply();
        int[] steps = Arrays.stream(arg(args, "--steps", "50,100,200,400,600,800").split(","))
                .mapToInt(Integer::parseInt).toArray();
        int seconds = Integer.parseInt(arg(args, "--seconds", "5"));
        maxLossPercent = Double.parseDouble(arg(args, "--max-loss", "0"));
        attempts = Integer.parseInt(arg(args, "--attempts", "2"));
        warmupSeconds = Integer.parseInt(arg(args, "--warmup", "8"));
        sendSlotMicros = Integer.parseInt(arg(args, "--send-slot-micros", "1000"));
        List<String> names = List.of(arg(args, "--targets", "forwarder,rtpengine,relay").split(","));
        // default: the packaged relay next to this class's target/test-classes, wherever the command runs from
        Path moduleTarget = Path.of(RelayBenchmark.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                .getParent();
        Path jar = Path.of(arg(args, "--jar", moduleTarget.resolve("quarkus-app/quarkus-run.jar").toString()));
        Path rtpengine = Path.of(arg(args, "--rtpengine", "/usr/bin/rtpengine"));
        String jvmArg = arg(args, "--relay-jvm", "").trim();
        List<String> relayJvm = jvmArg.isEmpty() ? List.of() : List.of(jvmArg.split("\\s+"));
        Path altJar = Path.of(arg(args, "--alt-jar", jar.toString()));
        String[] altJvmSets = arg(args, "--alt-relay-jvm", "").split(";", -1);
        int alt = 0;

        Map<String, List<Step>> results = new LinkedHashMap<>();
        System.out.printf("ramp %s calls, %d s measured per step, 50 packets/s of 160-byte PCMU per call,"
                + " sent in %d us slots, %d CPUs%n", Arrays.toString(steps), seconds, sendSlotMicros,
                Runtime.getRuntime().availableProcessors());
        try (UdpEcho echo = new UdpEcho()) {
            for (String name : names) {
                BenchTarget target = switch (name) {
                    case "forwarder" -> new ForwarderTarget();
                    case "rtpengine" -> new RtpEngineTarget(rtpengine, 40000);
                    case "relay" -> new OurRelayTarget(jar, 50000, relayJvm);
                    case "relay-alt" -> {
                        String set = altJvmSets[alt % altJvmSets.length].trim();
                        alt++;
                        System.out.printf("relay (alt %d): JVM options [%s]%n", alt, set);
                        yield new OurRelayTarget("relay (alt " + alt + ")", altJar, 50000,
                                set.isEmpty() ? List.of() : List.of(set.split("\\s+")));
                    }
                    default -> throw new IllegalArgumentException("unknown target " + name);
                };
                if (target instanceof RtpEngineTarget r && !r.available()) {
                    System.out.println("rtpengine: " + rtpengine + " not installed, skipped");
                    continue;
                }
                results.put(target.name(), ramp(target, echo, steps, seconds));
            }
        }
        printSummary(results);
    }

    private static List<Step> ramp(BenchTarget target, UdpEcho echo, int[] steps, int seconds) throws Exception {
        List<Step> done = new ArrayList<>();
        List<BenchLeg> legs = new ArrayList<>();
        DtlsIdentity identity = new DtlsIdentity();
        var os = ManagementFactory.getPlatformMXBean(com.sun.management.OperatingSystemMXBean.class);
        System.out.printf("%n== %s ==%n", target.name());
        System.out.printf("%6s %10s %7s %8s %8s %11s %9s %10s %10s %9s  %s%n", "calls", "pkts/s", "loss%",
                "p50 ms", "p99 ms", "us/packet", "srv CPU%", "KiB/call", "heap/call", "tool CPU%", "");
        ExecutorService setup = Executors.newFixedThreadPool(8);
        try (LoadLoop loop = new LoadLoop(sendSlotMicros)) {
            target.start(echo.port());
            Thread.sleep(1000);
            long idleRss = ProcStat.rssKib(target.pid());
            long idleCpu0 = ProcStat.cpuNanos(target.pid());
            Thread.sleep(3000);
            System.out.printf("idle (no call): server CPU %.1f %% of a core, RSS %d KiB%n",
                    100.0 * (ProcStat.cpuNanos(target.pid()) - idleCpu0) / 3e9, idleRss);
            long idleHeap = target.jvm() ? ProcStat.liveHeapKib(target.pid()) : -1;
            for (int n : steps) {
                String failure = null;
                List<Future<?>> opening = new ArrayList<>();
                for (int i = legs.size(); i < n; i++) {
                    BenchLeg leg = new BenchLeg(target.plain());
                    legs.add(leg);
                    loop.add(leg);
                    int index = i;
                    opening.add(setup.submit(() -> {
                        target.open(index, leg, identity);
                        return null;
                    }));
                }
                int failed = 0;
                for (Future<?> f : opening) {
                    try {
                        f.get(60, TimeUnit.SECONDS);
                    } catch (Exception e) {
                        if (failed++ == 0) {
                            failure = "call setup failed: " + e.getMessage();
                        }
                    }
                }
                if (failed > 0) {
                    failure += " (" + failed + " of " + opening.size() + " calls)";
                }
                // warm-up at the new load; the first step also lets a JIT compile the packet path (same for all)
                Thread.sleep(n == steps[0] ? Math.max(1500, warmupSeconds * 1000L) : 1500);
                Step step = null;
                for (int attempt = 0; attempt < attempts && (step == null || !step.held()); attempt++) {
                    step = measure(target, loop, os, n, seconds, idleRss, idleHeap, failure);
                    done.add(step);
                }
                if (!step.held()) {
                    break;
                }
            }
        } finally {
            setup.shutdownNow();
            legs.forEach(BenchLeg::close);
            target.close();
        }
        return done;
    }

    private static Step measure(BenchTarget target, LoadLoop loop, com.sun.management.OperatingSystemMXBean os,
                                int n, int seconds, long idleRss, long idleHeap, String failure) throws Exception {
        long start = System.nanoTime() + 1000;
        long end = start + seconds * 1_000_000_000L;
        loop.startWindow(start, end);
        long cpu0 = ProcStat.cpuNanos(target.pid());
        long switches0 = ProcStat.contextSwitches(target.pid());
        long tool0 = os.getProcessCpuTime();
        Thread.sleep((end - System.nanoTime()) / 1_000_000 + 1);
        long cpu = ProcStat.cpuNanos(target.pid()) - cpu0;
        long tool = os.getProcessCpuTime() - tool0;
        long switches = ProcStat.contextSwitches(target.pid()) - switches0;
        long rss = ProcStat.rssKib(target.pid());
        Thread.sleep(300); // echoes still in flight
        LoadLoop.Window w = loop.window();
        // live heap after a full collection (jcmd), outside the measured window: what the calls really hold
        long heap = idleHeap >= 0 ? ProcStat.liveHeapKib(target.pid()) : -1;
        double secs = seconds;
        long relayed = w.sent() + w.received();
        Step step = new Step(n, relayed / secs, w.lossPercent(), w.p50Millis(), w.p99Millis(),
                relayed == 0 ? 0 : cpu / 1e3 / relayed, 100.0 * cpu / 1e9 / secs,
                (double) (rss - idleRss) / n, heap < 0 ? Double.NaN : (double) (heap - idleHeap) / n,
                100.0 * tool / 1e9 / secs, failure);
        System.out.printf("%6d %10.0f %7.2f %8.2f %8.2f %11.1f %9.1f %10.1f %10.1f %9.1f  %s%n", n,
                step.packetsPerSecond(), step.lossPercent(), step.p50(), step.p99(),
                step.serverMicrosPerPacket(), step.serverCpuPercent(), step.memoryKibPerCall(),
                step.heapKibPerCall(), step.toolCpuPercent(), step.held() ? "held" : failure != null ? failure : "NOT held");
        if (relayed > 0 && switches0 >= 0) {
            System.out.printf("%6s server context switches per 100 relayed packets: %.1f%n", "",
                    100.0 * switches / relayed);
        }
        String drops = target.drops();
        if (!drops.isEmpty()) {
            System.out.printf("%6s datagrams the server dropped so far, by reason: %s%n", "", drops);
        }
        return step;
    }

    private static void printSummary(Map<String, List<Step>> results) {
        System.out.printf("%n== summary ==%n");
        Map<String, Integer> maxHeld = new LinkedHashMap<>();
        results.forEach((name, steps) -> {
            int max = steps.stream().filter(Step::held).mapToInt(Step::calls).max().orElse(0);
            boolean capped = !steps.isEmpty() && steps.get(steps.size() - 1).held();
            maxHeld.put(name, max);
            System.out.printf("%-14s largest N held (loss <= %.2f %%, p99 < %.0f ms): %d%s%n", name, maxLossPercent,
                    MAX_P99_MILLIS, max,
                    capped ? " (the ramp's last step; may hold more)" : "");
        });
        List<Step> theirs = results.get("rtpengine");
        for (String name : results.keySet()) {
            List<Step> ours = results.get(name);
            if (!name.equals("rtpengine") && name.contains("relay") && theirs != null) {
                System.out.printf("-- %s / rtpengine --%n", name);
                compare(ours, theirs, maxHeld.get(name), maxHeld.get("rtpengine"));
            }
        }
    }

    private static void compare(List<Step> ours, List<Step> theirs, int oursHeld, int theirsHeld) {
        // compare at the largest call count both held (or, failing that, the first step)
        Step a = null;
        Step b = null;
        for (Step s : ours) {
            for (Step t : theirs) {
                if (s.calls() == t.calls() && (a == null || (s.held() && t.held()))) {
                    a = s;
                    b = t;
                }
            }
        }
        if (a == null) {
            return;
        }
        System.out.printf("ours / rtpengine at %d calls:%n", a.calls());
        ratio("packets/s relayed", a.packetsPerSecond(), b.packetsPerSecond());
        ratio("loss %", a.lossPercent(), b.lossPercent());
        ratio("round trip p50", a.p50(), b.p50());
        ratio("round trip p99", a.p99(), b.p99());
        ratio("CPU us per relayed packet", a.serverMicrosPerPacket(), b.serverMicrosPerPacket());
        ratio("memory per call (RSS)", a.memoryKibPerCall(), b.memoryKibPerCall());
        ratio("live heap/call (ours) : RSS/call", a.heapKibPerCall(), b.memoryKibPerCall());
        ratio("load tool CPU %", a.toolCpuPercent(), b.toolCpuPercent());
        ratio("largest N held", oursHeld, theirsHeld);
        System.out.println("CPU us per relayed packet, ours / rtpengine, at every N both measured (held or not):");
        for (Step s : ours) {
            for (Step t : theirs) {
                if (s.calls() == t.calls()) {
                    System.out.printf("  %4d calls  %6.1f / %6.1f = %.2f   (server CPU %5.1f %% / %5.1f %%)%n", s.calls(),
                            s.serverMicrosPerPacket(), t.serverMicrosPerPacket(),
                            s.serverMicrosPerPacket() / t.serverMicrosPerPacket(), s.serverCpuPercent(),
                            t.serverCpuPercent());
                }
            }
        }
    }

    private static void ratio(String what, double ours, double theirs) {
        System.out.printf("  %-27s %10.2f / %10.2f = %s%n", what, ours, theirs,
                theirs == 0 ? "n/a" : String.format("%.2f", ours / theirs));
    }

    private static String arg(String[] args, String name, String def) {
        for (int i = 0; i < args.length - 1; i++) {
            if (args[i].equals(name)) {
                return args[i + 1];
            }
        }
        return def;
    }
}
