package io.webcall.local;

import java.io.PrintStream;
import java.util.Locale;

/** Prints what is starting and how long it took: {@code starting PostgreSQL... ready in 2.8 s}. */
final class Progress {

    interface Action<T> {
        T run() throws Exception;
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
