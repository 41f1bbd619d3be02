package io.webcall.local;

import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/** A service did not come up; carries the end of its log, which usually says why. */
public final class ServiceStartException extends RuntimeException {

    private static final Pattern ERROR_LINE = Pattern.compile(".*\\b(ERROR|FATAL|SEVERE)\\b.*|^Error: .*|^Caused by: .*|.*SRCFG\\d+.*");

    private final transient Service service;
    private final String problem;
    private final List<String> logTail;
    private final String firstError;
    private final transient java.nio.file.Path logFile;

    ServiceStartException(Service service, String problem, List<String> logTail) {
        this(service, problem, logTail, null, null);
    }

    ServiceStartException(Service service, String problem, List<String> logTail, String firstError, java.nio.file.Path logFile) {
        super(service.module() + " " + problem + (logTail.isEmpty() ? ""
                : System.lineSeparator() + "  | " + String.join(System.lineSeparator() + "  | ", logTail)));
        this.service = service;
        this.problem = service.module() + " " + problem;
        this.logTail = List.copyOf(logTail);
        this.firstError = firstError;
        this.logFile = logFile;
    }

    /** The service's log file (null when it never ran). */
    public java.nio.file.Path logFile() {
        return logFile;
    }

    public Service service() {
        return service;
    }

    /** One line: which service and what happened (the message adds the log tail). */
    public String problem() {
        return problem;
    }

    /** The last lines of the service's log (empty when it never ran). */
    public List<String> logTail() {
        return logTail;
    }

    /** The first line of the log that reports an error, often the cause behind the stack traces of the tail. */
    public Optional<String> firstError() {
        return Optional.ofNullable(firstError);
    }

    static String findFirstError(List<String> lines) {
        return lines.stream().filter(line -> ERROR_LINE.matcher(line).matches()).findFirst().orElse(null);
    }
}
