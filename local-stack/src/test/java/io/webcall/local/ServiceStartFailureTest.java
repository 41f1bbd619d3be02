package io.webcall.local;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ServiceStartFailureTest {

    @Test
    void aServiceThatCannotStartIsReportedWithTheEndOfItsLogAndEverythingElseIsStopped(@TempDir Path data) throws Exception {
        Path output = data.resolve("launcher.out");
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int busyPort = taken.getLocalPort();
            Process launcher = new ProcessBuilder(LocalStackLifecycleTest.javaCommand(
                    "--exit-with-parent", "--jvm-option", "-XX:TieredStopAtLevel=1", "--free-ports", "--account-port", Integer.toString(busyPort), "--data", data.resolve("stack").toString()))
                    .redirectErrorStream(true).redirectOutput(output.toFile()).start();
            List<ProcessHandle> children;
            try {
                assertTrue(launcher.waitFor(180, TimeUnit.SECONDS), "launcher did not give up");
                children = launcher.toHandle().descendants().toList();
            } finally {
                launcher.destroyForcibly();
            }
            String text = Files.readString(output);
            assertEquals(1, launcher.exitValue(), text);
            assertTrue(text.contains("starting account-service... failed"), text);
            assertTrue(text.contains("account-service exited with code"), text);
            assertTrue(text.contains("last lines of its log ("), text);
            assertTrue(text.lines().filter(line -> line.startsWith("  | ")).count() >= 5, text);
            assertTrue(text.lines().anyMatch(line -> (line.startsWith("  | ") || line.startsWith("first error in its log:"))
                            && line.contains(Integer.toString(busyPort))),
                    "neither the first error nor the log tail shows the port problem:\n" + text);
            assertTrue(text.contains("stopping PostgreSQL... stopped"), text);
            assertFalse(text.contains("starting signaling-service"), text);
            assertTrue(children.isEmpty(), "left running: " + children);
        }
        String dataPath = data.toString();
        assertTrue(ProcessHandle.allProcesses()
                .noneMatch(p -> p.info().arguments().map(a -> String.join(" ", a).contains(dataPath)).orElse(false)),
                "a process still runs on the data directory");
    }
}
