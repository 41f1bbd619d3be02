package io.webcall.local;

import sun.misc.Signal;

import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * {@code ./run-local.sh}: starts the local stack, prints the summary, and on Ctrl-C (SIGINT),
 * SIGTERM or SIGHUP stops the services, Kafka and PostgreSQL in that order. Exit codes: 0 after a
 * clean stop, 1 when something did not start, 2 for bad flags, 130 when stopped while starting.
 */
public final class LocalStackMain {

    private LocalStackMain() {
    }

    public static void main(String[] args) {
        CommandLine command;
        try {
            command = CommandLine.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.println(CommandLine.USAGE);
            System.exit(2);
            return;
        }
        if (command.help) {
            System.out.println(CommandLine.USAGE);
            return;
        }

        Thread mainThread = Thread.currentThread();
        AtomicReference<LocalStack> running = new AtomicReference<>();
        AtomicBoolean stopping = new AtomicBoolean();
        // Own handlers instead of shutdown hooks: hooks run concurrently (the embedded PostgreSQL
        // registers one), which would stop the database while the services still use it.
        for (String name : new String[] {"INT", "TERM", "HUP"}) {
            Signal.handle(new Signal(name), signal -> {
                if (!stopping.compareAndSet(false, true)) {
                    return;
                }
                Thread stopper = new Thread(() -> {
                    LocalStack stack = running.get();
                    if (stack == null) {
                        mainThread.interrupt();
                        return;
                    }
                    System.out.println();
                    System.out.println("stopping (SIG" + signal.getName() + ")");
                    stack.close();
                    System.exit(0);
                }, "local-stack-stopper");
                stopper.setDaemon(false); // the JVM must not exit before the ordered shutdown is done
                stopper.start();
            });
        }

        LocalStack stack;
        try {
            stack = command.toBuilder().start();
        } catch (ServiceStartException e) {
            System.err.println();
            System.err.println(e.problem());
            e.firstError().ifPresent(line -> System.err.println("first error in its log: " + line.strip()));
            if (!e.logTail().isEmpty()) {
                System.err.println("last lines of its log (" + e.logFile() + "):");
                e.logTail().forEach(line -> System.err.println("  | " + line));
            }
            System.exit(1);
            return;
        } catch (InterruptedException e) {
            System.err.println("stopped while starting");
            System.exit(130);
            return;
        } catch (Exception e) {
            System.err.println();
            System.err.println("the local stack did not start: " + describe(e));
            System.exit(stopping.get() ? 130 : 1);
            return;
        }
        running.set(stack);
        if (stopping.get()) {
            stack.close();
            System.exit(130);
        }
        System.out.println(Summary.of(stack, Path.of("")));
        watch(stack, stopping, command.exitWithParent ? ProcessHandle.current().parent().orElse(null) : null);
    }

    /**
     * Reports a service that dies while the stack runs (once), with the end of its log; with a
     * parent to follow, stops the stack when that process is gone.
     */
    private static void watch(LocalStack stack, AtomicBoolean stopping, ProcessHandle parent) {
        Set<Service> reported = EnumSet.noneOf(Service.class);
        while (true) {
            try {
                Thread.sleep(2000);
            } catch (InterruptedException e) {
                return;
            }
            if (stopping.get()) {
                continue; // the stopper thread ends the JVM when everything is stopped
            }
            if (parent != null && !parent.isAlive() && stopping.compareAndSet(false, true)) {
                System.out.println("stopping (the parent process " + parent.pid() + " has exited)");
                stack.close();
                System.exit(0);
            }
            for (Service service : stack.exitedServices()) {
                if (reported.add(service)) {
                    System.err.println(service.module() + " has exited; the end of " + stack.logFile(service) + ":");
                    ServiceProcess.tail(stack.logFile(service), ServiceProcess.LOG_TAIL_LINES)
                            .forEach(line -> System.err.println("  | " + line));
                }
            }
        }
    }

    private static String describe(Throwable e) {
        StringBuilder text = new StringBuilder(String.valueOf(e.getMessage()));
        for (Throwable cause = e.getCause(); cause != null && cause != cause.getCause(); cause = cause.getCause()) {
            text.append(System.lineSeparator()).append("  caused by: ").append(cause);
        }
        return text.toString();
    }
}
