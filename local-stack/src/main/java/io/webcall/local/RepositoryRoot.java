package io.webcall.local;

import java.nio.file.Files;
import java.nio.file.Path;

/** Finds the repository the services are built in: where {@code local-stack/} and {@code pom.xml} are. */
final class RepositoryRoot {

    static final String PROPERTY = "webcall.repository.root";

    private RepositoryRoot() {
    }

    static Path find() {
        String configured = System.getProperty(PROPERTY);
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured).toAbsolutePath().normalize();
        }
        Path cwd = Path.of("").toAbsolutePath();
        for (Path dir = cwd; dir != null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve("local-stack")) && Files.isRegularFile(dir.resolve("pom.xml"))) {
                return dir;
            }
        }
        return cwd;
    }
}
