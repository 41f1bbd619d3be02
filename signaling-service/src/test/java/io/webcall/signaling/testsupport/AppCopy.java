package io.webcall.signaling.testsupport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;

/**
 * A private copy of a module's packaged application ({@code target/quarkus-app}) in a temporary directory, so that a
 * process started from it keeps running while the module is rebuilt; deleted again once that process has stopped.
 */
final class AppCopy {

    private AppCopy() {
    }

    /** Copies the application directory {@code app} into a new temporary directory named after {@code prefix}. */
    static Path of(Path app, String prefix) throws IOException {
        Path copy = Files.createTempDirectory(prefix);
        try (var paths = Files.walk(app)) {
            for (Path p : (Iterable<Path>) paths::iterator) {
                Path target = copy.resolve(app.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
        return copy;
    }

    /** Deletes a copy (nothing when null); never throws, reports what it could not delete. */
    static void delete(Path copy) {
        if (copy == null) {
            return;
        }
        try (var paths = Files.walk(copy)) {
            for (Path p : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        } catch (IOException | RuntimeException e) {
            System.err.println("could not delete " + copy + ": " + e);
        }
    }
}
