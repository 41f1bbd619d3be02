package io.webcall.local;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A dead man's switch for the processes the stack starts: a small shell process in its own
 * session that reads pids from a pipe held by this JVM. When the pipe closes without a
 * {@code disarm} line, this JVM is gone (killed, crashed): the shell then stops the services
 * (SIGTERM, SIGKILL after 20 s) and afterwards PostgreSQL (SIGINT: fast shutdown). An orderly
 * {@link #disarm()} ends it without touching anything.
 */
final class Watchdog implements AutoCloseable {

    private static final String SCRIPT = """
            services=""; postgres=""
            while IFS= read -r line; do
              case "$line" in
                "service "*) services="$services ${line#service }" ;;
                "postgres "*) postgres="${line#postgres }" ;;
                disarm) exit 0 ;;
              esac
            done
            for p in $services; do kill -TERM "$p" 2>/dev/null; done
            i=0
            while [ $i -lt 100 ]; do
              alive=""
              for p in $services; do if kill -0 "$p" 2>/dev/null; then alive="$alive $p"; fi; done
              [ -z "$alive" ] && break
              sleep 0.2; i=$((i+1))
            done
            for p in $services; do kill -KILL "$p" 2>/dev/null; done
            if [ -n "$postgres" ]; then kill -INT "$postgres" 2>/dev/null; fi
            exit 0
            """;

    private final Process shell;
    private final OutputStream pipe;

    private Watchdog(Process shell) {
        this.shell = shell;
        this.pipe = shell.getOutputStream();
    }

    static Watchdog start() throws IOException {
        ProcessBuilder builder = new ProcessBuilder(Sessions.detached("/bin/sh", "-c", SCRIPT));
        builder.redirectOutput(ProcessBuilder.Redirect.DISCARD);
        builder.redirectError(ProcessBuilder.Redirect.DISCARD);
        return new Watchdog(builder.start());
    }

    /** Stops this service process if the JVM dies. */
    synchronized void watchService(long pid) {
        send("service " + pid);
    }

    /** Shuts this PostgreSQL postmaster down (after the services) if the JVM dies. */
    synchronized void watchPostgres(Path dataDirectory) {
        Path pidFile = dataDirectory.resolve("postmaster.pid");
        try {
            String first = Files.readAllLines(pidFile).get(0).trim();
            send("postgres " + Long.parseLong(first));
        } catch (IOException | RuntimeException e) {
            // no pid file: nothing the watchdog could stop
        }
    }

    /** Everything was stopped in order: the watchdog ends without doing anything. */
    synchronized void disarm() {
        send("disarm");
    }

    private void send(String line) {
        try {
            pipe.write((line + "\n").getBytes(StandardCharsets.US_ASCII));
            pipe.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("watchdog process is gone", e);
        }
    }

    @Override
    public synchronized void close() {
        try {
            disarm();
            pipe.close();
        } catch (IOException | UncheckedIOException ignored) {
            // already gone
        }
        shell.destroy();
    }
}
