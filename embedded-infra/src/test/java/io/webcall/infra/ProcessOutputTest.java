package io.webcall.infra;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.MatchResult;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Real child processes (/bin/sh) whose output is copied to a log and watched for lines. */
class ProcessOutputTest {

    static final Pattern LISTENING = Pattern.compile("Listening on: (http://[0-9.]+:[0-9]+)");
    static final Pattern SIP = Pattern.compile("SIP on port (\\d+)");

    static Process sh(String script) throws Exception {
        return new ProcessBuilder("/bin/sh", "-c", script).redirectErrorStream(true).start();
    }

    @Test
    void everyLineOfStdoutAndStderrReachesTheLogAndAwaitGivesTheMatchedGroups(@TempDir Path dir) throws Exception {
        Path log = dir.resolve("logs").resolve("service.log");
        Process p = sh("echo starting; echo 'warning on stderr' >&2; echo 'Listening on: http://127.0.0.1:41234'; "
                + "echo 'SIP on port 5099'; echo done");
        ProcessOutput output = ProcessOutput.copy(p, "service", log, LISTENING, SIP);

        MatchResult listening = output.await(LISTENING, Duration.ofSeconds(30));
        assertEquals("http://127.0.0.1:41234", listening.group(1));
        assertTrue(Files.readAllLines(log).contains("Listening on: http://127.0.0.1:41234"),
                "the matched line is in the log once await returns");
        assertEquals("5099", output.await(SIP, Duration.ofSeconds(30)).group(1));

        assertTrue(output.awaitEnd(Duration.ofSeconds(30)));
        assertEquals(List.of("starting", "warning on stderr", "Listening on: http://127.0.0.1:41234", "SIP on port 5099", "done"),
                Files.readAllLines(log));
        // a line seen long ago is still answered
        assertEquals("http://127.0.0.1:41234", output.await(LISTENING, Duration.ofMillis(1)).group(1));
    }

    @Test
    void theLogIsAppendedTo(@TempDir Path dir) throws Exception {
        Path log = dir.resolve("service.log");
        Files.writeString(log, "previous run\n");
        ProcessOutput output = ProcessOutput.copy(sh("echo this run"), "service", log);
        assertTrue(output.awaitEnd(Duration.ofSeconds(30)));
        assertEquals(List.of("previous run", "this run"), Files.readAllLines(log));
    }

    @Test
    void aProcessThatExitsWithoutTheLineFailsTheWaitAtOnceNamingItsExitCodeAndLog(@TempDir Path dir) throws Exception {
        Path log = dir.resolve("failing.log");
        ProcessOutput output = ProcessOutput.copy(sh("echo 'port 8081 already in use'; exit 3"), "failing", log, LISTENING);

        long started = System.nanoTime();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> output.await(LISTENING, Duration.ofSeconds(120)));
        assertTrue(System.nanoTime() - started < TimeUnit.SECONDS.toNanos(60), "waited for the timeout instead of the exit");
        assertTrue(e.getMessage().contains("failing"), e.getMessage());
        assertTrue(e.getMessage().contains("exit code 3"), e.getMessage());
        assertTrue(e.getMessage().contains(log.toAbsolutePath().toString()), e.getMessage());
        assertEquals(List.of("port 8081 already in use"), Files.readAllLines(log));
    }

    @Test
    void aProcessStillRunningWithoutTheLineTimesOut(@TempDir Path dir) throws Exception {
        Process p = sh("echo booting; exec sleep 60");
        try {
            ProcessOutput output = ProcessOutput.copy(p, "slow", dir.resolve("slow.log"), LISTENING);
            TimeoutException e = assertThrows(TimeoutException.class, () -> output.await(LISTENING, Duration.ofMillis(300)));
            assertTrue(e.getMessage().contains("slow"), e.getMessage());
            assertFalse(output.awaitEnd(Duration.ofMillis(10)), "the output is still open");
        } finally {
            p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void onlyPatternsGivenAtTheStartCanBeAwaited(@TempDir Path dir) throws Exception {
        ProcessOutput output = ProcessOutput.copy(sh("echo 'SIP on port 5099'"), "service", dir.resolve("s.log"), LISTENING);
        assertThrows(IllegalArgumentException.class, () -> output.await(SIP, Duration.ofSeconds(1)));
        assertTrue(output.awaitEnd(Duration.ofSeconds(30)));
    }
}
