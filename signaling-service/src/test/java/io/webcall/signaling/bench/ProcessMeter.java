package io.webcall.signaling.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * CPU time and memory of a server process and its children, read from /proc (Linux): utime+stime of
 * /proc/PID/stat in clock ticks (100 per second here), proportional set size from /proc/PID/smaps_rollup so that
 * shared memory of a multi-process server (Kamailio) is counted once, not once per child.
 */
final class ProcessMeter {

    private static final long TICK_MICROS = 10_000;

    private final long pid;

    ProcessMeter(long pid) {
        this.pid = pid;
    }

    /** The process itself and every descendant. */
    List<Long> tree() {
        List<Long> out = new ArrayList<>();
        out.add(pid);
        for (int i = 0; i < out.size(); i++) {
            long parent = out.get(i);
            try (var dirs = Files.list(Path.of("/proc"))) {
                for (Path d : (Iterable<Path>) dirs::iterator) {
                    String name = d.getFileName().toString();
                    if (!name.chars().allMatch(Character::isDigit)) {
                        continue;
                    }
                    long[] st = stat(Long.parseLong(name));
                    if (st != null && st[0] == parent) {
                        out.add(Long.parseLong(name));
                    }
                }
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
        return out;
    }

    /** CPU time (user + system) of the process tree in microseconds. */
    long cpuMicros() {
        long ticks = 0;
        for (long p : tree()) {
            long[] st = stat(p);
            if (st != null) {
                ticks += st[1] + st[2];
            }
        }
        return ticks * TICK_MICROS;
    }

    /** CPU time (user + system) in microseconds of the threads of this process whose name starts with {@code prefix}. */
    long threadCpuMicros(String prefix) {
        long ticks = 0;
        try (var tasks = Files.list(Path.of("/proc/" + pid + "/task"))) {
            for (Path t : (Iterable<Path>) tasks::iterator) {
                try {
                    String s = Files.readString(t.resolve("stat"));
                    String comm = s.substring(s.indexOf('(') + 1, s.lastIndexOf(')'));
                    if (comm.startsWith(prefix)) {
                        String[] f = s.substring(s.lastIndexOf(')') + 2).split(" ");
                        ticks += Long.parseLong(f[11]) + Long.parseLong(f[12]);
                    }
                } catch (IOException | RuntimeException e) {
                    // the thread ended between listing and reading
                }
            }
        } catch (IOException e) {
            return 0;
        }
        return ticks * TICK_MICROS;
    }

    /** The machine's 1-minute load average, from /proc/loadavg. */
    static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (IOException e) {
            return "?";
        }
    }

    /** The soft limit of open files of this process (/proc/self/limits), or -1. */
    static long openFilesLimit() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/limits"))) {
                if (line.startsWith("Max open files")) {
                    String v = line.substring("Max open files".length()).trim().split("\\s+")[0];
                    return v.equals("unlimited") ? Long.MAX_VALUE : Long.parseLong(v);
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux
        }
        return -1;
    }

    /** Proportional set size of the process tree in bytes. */
    long pssBytes() {
        long kb = 0;
        for (long p : tree()) {
            try {
                for (String line : Files.readAllLines(Path.of("/proc/" + p + "/smaps_rollup"))) {
                    if (line.startsWith("Pss:")) {
                        kb += Long.parseLong(line.replaceAll("[^0-9]", ""));
                    }
                }
            } catch (IOException e) {
                // the process ended between listing and reading
            }
        }
        return kb * 1024;
    }

    /** {ppid, utime, stime} of one process, or null when it is gone. */
    private static long[] stat(long pid) {
        try {
            String s = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] f = s.substring(s.lastIndexOf(')') + 2).split(" ");
            return new long[] {Long.parseLong(f[1]), Long.parseLong(f[11]), Long.parseLong(f[12])};
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
