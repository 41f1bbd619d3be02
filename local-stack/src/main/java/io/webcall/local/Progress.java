package io.webcall.local;

import java.io.PrintStream;
import java.util.Locale;

/** Prints what is starting or stopping and how long it took: {@code starting PostgreSQL... ready in 2.8 s}. */
final class Progress {

    interface Action<T> {
        T run() throws Exception;
    }

    interface Stop {
        void run() throws Exception;
    }

    private final PrintStream out;

    Progress(PrintStream out) {
        this.out = out;
    }

    <T> T step(String what, String doneWord, Action<T> action) throws Exception {
        out.print(what + "... ");
        out.flush();
        long start = System.nanoTime();
        try {
            T result = action.run();
            out.println(doneWord + " in " + seconds(start));
            return result;
        } catch (Exception | Error e) {
            out.println("failed after " + seconds(start));
            throw e;
        }
    }

    /** Runs a stop action as a step; a failure is printed, not thrown, so what comes after still stops. */
    void stopQuietly(String what, Stop stop) {
        try {
            step(what, "stopped", () -> {
                stop.run();
                return null;
            });
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            line("  " + e);
        }
    }

    void line(String text) {
        out.println(text);
        out.flush();
    }

    PrintStream out() {
        return out;
    }

    static String seconds(long startNanos) {
        return String.format(Locale.ROOT, "%.1f s", (System.nanoTime() - startNanos) / 1e9);
    }
}
