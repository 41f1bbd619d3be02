package io.webcall.relay.srtp;

import org.jitsi.utils.logging2.Logger;

import java.util.Map;
import java.util.function.Supplier;
import java.util.logging.Handler;
import java.util.logging.Level;

/**
 * The logger the SRTP library gets: the library's own {@link org.jitsi.utils.logging2.LoggerImpl} underneath,
 * with whether debug and trace are enabled read once when a crypto context's logger is created instead of on
 * every packet. The library logs its replay window at debug level for every packet it protects or checks
 * (behind a supplier, so nothing is formatted), and asking {@code java.util.logging} for the level each time
 * was about one percent of the relay's CPU at 500 calls. A level changed at run time applies to the SRTP
 * contexts created afterwards (the next call, or the next SSRC).
 */
final class SrtpLibraryLogger implements Logger {

    private final Logger delegate;
    private final boolean debug;
    private final boolean trace;

    SrtpLibraryLogger(Logger delegate) {
        this.delegate = delegate;
        this.debug = delegate.isDebugEnabled();
        this.trace = delegate.isTraceEnabled();
    }

    @Override
    public Logger createChildLogger(String name, Map<String, String> context) {
        return new SrtpLibraryLogger(delegate.createChildLogger(name, context));
    }

    @Override
    public Logger createChildLogger(String name) {
        return new SrtpLibraryLogger(delegate.createChildLogger(name));
    }

    @Override
    public boolean isTraceEnabled() {
        return trace;
    }

    @Override
    public void trace(Object msg) {
        if (trace) {
            delegate.trace(msg);
        }
    }

    @Override
    public void trace(Supplier<String> msg) {
        if (trace) {
            delegate.trace(msg);
        }
    }

    @Override
    public boolean isDebugEnabled() {
        return debug;
    }

    @Override
    public void debug(Object msg) {
        if (debug) {
            delegate.debug(msg);
        }
    }

    @Override
    public void debug(Supplier<String> msg) {
        if (debug) {
            delegate.debug(msg);
        }
    }

    @Override
    public boolean isInfoEnabled() {
        return delegate.isInfoEnabled();
    }

    @Override
    public void info(Object msg) {
        delegate.info(msg);
    }

    @Override
    public void info(Supplier<String> msg) {
        delegate.info(msg);
    }

    @Override
    public boolean isWarnEnabled() {
        return delegate.isWarnEnabled();
    }

    @Override
    public void warn(Object msg) {
        delegate.warn(msg);
    }

    @Override
    public void warn(Supplier<String> msg) {
        delegate.warn(msg);
    }

    @Override
    public void warn(Object msg, Throwable t) {
        delegate.warn(msg, t);
    }

    @Override
    public void error(Object msg) {
        delegate.error(msg);
    }

    @Override
    public void error(Supplier<String> msg) {
        delegate.error(msg);
    }

    @Override
    public void error(Object msg, Throwable t) {
        delegate.error(msg, t);
    }

    @Override
    public void setUseParentHandlers(boolean useParentHandlers) {
        delegate.setUseParentHandlers(useParentHandlers);
    }

    @Override
    public void addHandler(Handler handler) {
        delegate.addHandler(handler);
    }

    @Override
    public void removeHandler(Handler handler) {
        delegate.removeHandler(handler);
    }

    @Override
    public void setLevelError() {
        delegate.setLevelError();
    }

    @Override
    public void setLevelWarn() {
        delegate.setLevelWarn();
    }

    @Override
    public void setLevelInfo() {
        delegate.setLevelInfo();
    }

    @Override
    public void setLevelDebug() {
        delegate.setLevelDebug();
    }

    @Override
    public void setLevelTrace() {
        delegate.setLevelTrace();
    }

    @Override
    public void setLevelAll() {
        delegate.setLevelAll();
    }

    @Override
    public void setLevelOff() {
        delegate.setLevelOff();
    }

    @Override
    public void setLevel(Level level) {
        delegate.setLevel(level);
    }

    @Override
    public Level getLevel() {
        return delegate.getLevel();
    }

    @Override
    public void addContext(Map<String, String> context) {
        delegate.addContext(context);
    }

    @Override
    public void addContext(String key, String value) {
        delegate.addContext(key, value);
    }
}
