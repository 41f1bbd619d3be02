package io.webcall.local;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A PostgreSQL server left running on the data directory by a launcher that could not stop it
 * (for example a machine crash). It holds the directory, so it is shut down (SIGINT: fast
 * shutdown, which rolls back open transactions and writes a clean checkpoint) before a new start.
 */
final class StalePostmaster {

    private StalePostmaster() {
    }

    /** @return the pid that was stopped, if there was one */
    static Optional<Long> stopIfRunning(Path dataDirectory) throws IOException, InterruptedException {
        Path pidFile = dataDirectory.resolve("postmaster.pid");
        if (!Files.exists(pidFile)) {
            return Optional.empty();
        }
        long pid;
        try {
            pid = Long.parseLong(Files.readAllLines(pidFile).get(0).trim());
        } catch (RuntimeException e) {
            return Optional.empty();
        }
        Optional<ProcessHandle> process = ProcessHandle.of(pid)
                .filter(ProcessHandle::isAlive)
                .filter(p -> p.info().command().map(c -> c.endsWith("/postgres") || c.endsWith("/postmaster")).orElse(false));
        if (process.isEmpty()) {
            return Optional.empty(); // pid file of a crashed server: PostgreSQL itself recovers from it
        }
        new ProcessBuilder("kill", "-INT", Long.toString(pid)).inheritIO().start().waitFor();
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (process.get().isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        if (process.get().isAlive()) {
            throw new IllegalStateException("a PostgreSQL server (pid " + pid + ") still runs on " + dataDirectory
                    + " and did not stop; stop it and start again");
        }
        return Optional.of(pid);
    }
}
