package io.webcall.local;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Starts child processes in a session of their own ({@code setsid}), so the terminal's Ctrl-C
 * reaches only the launcher, which then stops the children in order (services, Kafka, PostgreSQL)
 * instead of everything at once.
 */
final class Sessions {

    private static final String SETSID = Files.isExecutable(Path.of("/usr/bin/setsid")) ? "/usr/bin/setsid"
            : Files.isExecutable(Path.of("/bin/setsid")) ? "/bin/setsid" : null;

    private Sessions() {
    }

    static List<String> detached(String... command) {
        return detached(Arrays.asList(command));
    }

    static List<String> detached(List<String> command) {
        List<String> result = new ArrayList<>();
        if (SETSID != null) {
            result.add(SETSID);
        }
        result.addAll(command);
        return result;
    }
}
