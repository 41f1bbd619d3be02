package io.webcall.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.stream.Stream;

/**
 * The local stack's state on disk ({@code .local-data/} by default):
 * <pre>
 * postgres/               PostgreSQL cluster (one database per service)
 * kafka/                  Kafka log directory (topics, offsets, KRaft metadata)
 * logs/&lt;service&gt;.log      each service's output; the previous run's in &lt;service&gt;.log.1
 * logs/infra.log          PostgreSQL and Kafka messages of the launcher
 * app/&lt;service&gt;/        the packaged service this run started (a snapshot of target/quarkus-app)
 * tls/edge.p12            the edge's self-signed certificate for wss://
 * secrets.properties      generated once: internal token, encryption key, TURN secret, admin key
 * admin-api-key           the operator key, for scripts
 * .lock                   held while a stack runs on this directory
 * </pre>
 * One stack at a time per directory: {@link #lock()} refuses a second one.
 */
final class DataDirectory implements AutoCloseable {

    private static final String LOCK_FILE = ".lock";

    private final Path root;
    private FileChannel lockChannel;
    private FileLock lock;

    DataDirectory(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    Path root() {
        return root;
    }

    Path postgres() {
        return root.resolve("postgres");
    }

    Path kafka() {
        return root.resolve("kafka");
    }

    Path logs() {
        return root.resolve("logs");
    }

    Path log(String name) {
        return logs().resolve(name + ".log");
    }

    Path secrets() {
        return root.resolve("secrets.properties");
    }

    /** Where each service runs from: a snapshot of its packaged application. */
    Path apps() {
        return root.resolve("app");
    }

    Path edgeKeyStore() {
        return root.resolve("tls").resolve("edge.p12");
    }

    Path adminApiKeyFile() {
        return root.resolve("admin-api-key");
    }

    /** Creates the directory and takes its lock; fails when another stack uses it. */
    void lock() throws IOException {
        Files.createDirectories(logs());
        lockChannel = FileChannel.open(root.resolve(LOCK_FILE), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        try {
            lock = lockChannel.tryLock();
        } catch (java.nio.channels.OverlappingFileLockException e) {
            lock = null; // held by this JVM
        }
        if (lock == null) {
            lockChannel.close();
            throw new IllegalStateException("another local stack is running on " + root
                    + " (stop it first, or give this one another --data directory)");
        }
    }

    /** Deletes everything in the directory but the lock: the next start is a first start. */
    void wipe() throws IOException {
        try (Stream<Path> children = Files.list(root)) {
            for (Path child : children.toList()) {
                if (!child.getFileName().toString().equals(LOCK_FILE)) {
                    deleteRecursively(child);
                }
            }
        }
        Files.createDirectories(logs());
    }

    /** Keeps the previous run's log as {@code <name>.log.1} and returns the (now absent) log path. */
    Path freshLog(String name) throws IOException {
        Path log = log(name);
        if (Files.exists(log)) {
            Files.move(log, logs().resolve(name + ".log.1"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        return log;
    }

    static void deleteRecursively(Path path) throws IOException {
        if (!Files.exists(path, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        Files.walkFileTree(path, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
                if (exc != null) {
                    throw exc;
                }
                Files.delete(dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    @Override
    public void close() {
        try {
            if (lock != null) {
                lock.release();
            }
            if (lockChannel != null) {
                lockChannel.close();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
