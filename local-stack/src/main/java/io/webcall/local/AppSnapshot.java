package io.webcall.local;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * A private copy of a service's packaged application ({@code target/quarkus-app}) in the data
 * directory, which the service runs from. A rebuild ({@code ./mvnw verify}, {@code clean}) replaces
 * or deletes the files under {@code target/} while the stack runs; the JVM loads classes from its
 * jars lazily, so running from {@code target/} directly would break the running service. Files are
 * hard-linked where possible (instant, no space; a rebuild writes new files rather than changing
 * these), copied otherwise.
 */
final class AppSnapshot {

    private AppSnapshot() {
    }

    /** @return the snapshot's {@code quarkus-run.jar} */
    static Path of(Path quarkusApp, Path snapshot) throws IOException {
        DataDirectory.deleteRecursively(snapshot);
        Files.createDirectories(snapshot);
        Files.walkFileTree(quarkusApp, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                Files.createDirectories(snapshot.resolve(quarkusApp.relativize(dir).toString()));
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Path target = snapshot.resolve(quarkusApp.relativize(file).toString());
                try {
                    Files.createLink(target, file);
                } catch (IOException | UnsupportedOperationException e) {
                    Files.copy(file, target, StandardCopyOption.REPLACE_EXISTING);
                }
                return FileVisitResult.CONTINUE;
            }
        });
        return snapshot.resolve("quarkus-run.jar");
    }
}
