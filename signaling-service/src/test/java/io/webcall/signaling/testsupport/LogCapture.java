package io.webcall.signaling.testsupport;

import org.jboss.logmanager.ExtLogRecord;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Collects the log records of one logger (JBoss LogManager, as in the service) with the Call-ID the logging MDC held
 * when each was emitted, for tests of what the service logs.
 */
public final class LogCapture extends Handler implements AutoCloseable {

    /** One captured record: its formatted message and the MDC {@code callId} at the time it was logged. */
    public record Line(String message, String callId) {
    }

    private final Logger logger;
    private final List<Line> lines = new CopyOnWriteArrayList<>();

    private LogCapture(Logger logger) {
        this.logger = logger;
    }

    public static LogCapture of(Class<?> category) {
        Logger logger = Logger.getLogger(category.getName());
        LogCapture capture = new LogCapture(logger);
        logger.addHandler(capture);
        return capture;
    }

    @Override
    public void publish(LogRecord record) {
        if (record instanceof ExtLogRecord ext) {
            lines.add(new Line(ext.getFormattedMessage(), ext.getMdc("callId")));
        } else {
            lines.add(new Line(record.getMessage(), null));
        }
    }

    /** Waits (bounded) for a record matching {@code filter}. */
    public Line await(Predicate<Line> filter, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            for (Line l : lines) {
                if (filter.test(l)) {
                    return l;
                }
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no matching log record within " + timeout + "; got " + lines);
    }

    public List<Line> lines() {
        return List.copyOf(lines);
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
        logger.removeHandler(this);
    }
}
