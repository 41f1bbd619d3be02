package io.webcall.local;

import java.util.List;

/** A service did not come up; carries the end of its log, which usually says why. */
public final class ServiceStartException extends RuntimeException {

    private final transient Service service;
    private final List<String> logTail;

    ServiceStartException(Service service, String problem, List<String> logTail) {
        super(service.module() + " " + problem);
        this.service = service;
        this.logTail = List.copyOf(logTail);
    }

    public Service service() {
        return service;
    }

    /** The last lines of the service's log (empty when it never ran). */
    public List<String> logTail() {
        return logTail;
    }
}
