package io.webcall.relay.bench;

import io.webcall.relay.dtls.DtlsIdentity;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** {@link UdpForwarder} in its own small JVM: the plain-UDP ceiling of this machine. */
final class ForwarderTarget implements BenchTarget {

    private Process process;
    private InetSocketAddress front;

    @Override
    public String name() {
        return "UDP forwarder";
    }

    @Override
    public boolean plain() {
        return true;
    }

    @Override
    public void start(int echoPort) throws Exception {
        process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx64m", "-XX:+UseSerialGC", "-cp", Path.of(UdpForwarder.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString(),
                UdpForwarder.class.getName(), String.valueOf(echoPort))
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String line = new BufferedReader(new InputStreamReader(process.getInputStream())).readLine();
        if (line == null || !line.startsWith("front ")) {
            throw new IllegalStateException("forwarder did not start: " + line);
        }
        front = new InetSocketAddress(InetAddress.getLoopbackAddress(), Integer.parseInt(line.substring(6).trim()));
    }

    @Override
    public long pid() {
        return process.pid();
    }

    @Override
    public void open(int index, BenchLeg leg, DtlsIdentity identity) {
        leg.connectPlain(front);
    }

    @Override
    public void close() {
        if (process != null) {
            process.destroy();
            try {
                process.waitFor(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
