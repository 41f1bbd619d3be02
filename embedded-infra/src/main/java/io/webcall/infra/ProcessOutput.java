package io.webcall.infra;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.MatchResult;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Copies the output of a child process (a service started for a test, say) line by line into a
 * log file on a daemon thread, and lets the caller wait for the first line matching a pattern,
 * such as Quarkus's {@code Listening on: http://127.0.0.1:PORT}.
 * <p>
 * Start the child with {@link ProcessBuilder#redirectErrorStream(boolean) redirectErrorStream(true)}
 * so that its standard error is copied too. Each line is flushed to the log before it is matched:
 * once {@link #await} returns, the log holds that line and everything before it. The log is
 * appended to (delete it first for a fresh one). When the output ends (the child exited) before a
 * pattern matched, {@link #await} fails at once, naming the log.
 *
 * <pre>{@code
 * Pattern listening = Pattern.compile("Listening on: (http://[0-9.]+:[0-9]+)");
 * Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
 * ProcessOutput output = ProcessOutput.copy(p, "account-service", Path.of("target", "account.log"), listening);
 * String url = output.await(listening, Duration.ofSeconds(120)).group(1);
 * }</pre>
 */
public final class ProcessOutput {

    private final String name;
    private final Process process;
    private final Path log;
    private final Map<Pattern, CompletableFuture<MatchResult>> watched = new LinkedHashMap<>();
    private final CompletableFuture<Void> ended = new CompletableFuture<>();

    private ProcessOutput(String name, Process process, Path log, List<Pattern> patterns) {
        this.name = name;
        this.process = process;
        this.log = log;
        for (Pattern p : patterns) {
            watched.put(p, new CompletableFuture<>());
        }
    }

    /**
     * Starts copying the process's standard output to {@code log} (created with its parent
     * directories if needed) on a daemon thread named {@code <name>-output}.
     *
     * @param name     what the process is, for the thread name and error messages
     * @param patterns the patterns {@link #await} can wait for (each is searched in every line until it matches once)
     */
    public static ProcessOutput copy(Process process, String name, Path log, Pattern... patterns) {
        ProcessOutput output = new ProcessOutput(name, process, log, List.of(patterns));
        try {
            Path parent = log.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the directory of " + log, e);
        }
        Thread thread = new Thread(output::pump, name + "-output");
        thread.setDaemon(true);
        thread.start();
        return output;
    }

    /** Where the output goes. */
    public Path log() {
        return log;
    }

    /**
     * The first line matching {@code pattern} (one given to {@link #copy}), whether it was written
     * before this call or comes within {@code timeout}.
     *
     * @throws IllegalStateException    when the output ended (the process exited) without such a line
     * @throws TimeoutException         when no such line came in time (the process still runs)
     * @throws IllegalArgumentException for a pattern that was not given to {@link #copy}
     */
    public MatchResult await(Pattern pattern, Duration timeout) throws InterruptedException, TimeoutException {
        CompletableFuture<MatchResult> match = watched.get(pattern);
        if (match == null) {
            throw new IllegalArgumentException("not watched for " + name + ": " + pattern);
        }
        try {
            return match.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            throw (IllegalStateException) e.getCause();
        } catch (TimeoutException e) {
            throw new TimeoutException("no line matching '" + pattern + "' from " + name + " within "
                    + timeout.toSeconds() + " s; see " + log.toAbsolutePath());
        }
    }

    /** Waits until the output has ended (the process closed it, normally by exiting). */
    public boolean awaitEnd(Duration timeout) throws InterruptedException {
        try {
            ended.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
    }

    private void pump() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
             BufferedWriter out = Files.newBufferedWriter(log, StandardCharsets.UTF_8,
                     StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
            String line;
            while ((line = in.readLine()) != null) {
                out.write(line);
                out.newLine();
                out.flush();
                match(line);
            }
        } catch (IOException e) {
            // the process closed its output (or the log cannot be written): nothing more will match
        }
        IllegalStateException gone = new IllegalStateException(name + " ended its output without the line waited for"
                + exitCode() + "; see " + log.toAbsolutePath());
        watched.values().forEach(f -> f.completeExceptionally(gone));
        ended.complete(null);
    }

    private void match(String line) {
        for (Map.Entry<Pattern, CompletableFuture<MatchResult>> e : watched.entrySet()) {
            if (!e.getValue().isDone()) {
                Matcher m = e.getKey().matcher(line);
                if (m.find()) {
                    e.getValue().complete(m.toMatchResult());
                }
            }
        }
    }

    private String exitCode() {
        try {
            return process.waitFor(1, TimeUnit.SECONDS) ? " (exit code " + process.exitValue() + ")" : "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }
}
