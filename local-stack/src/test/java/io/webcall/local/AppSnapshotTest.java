package io.webcall.local;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

class AppSnapshotTest {

    @Test
    void theSnapshotSurvivesARebuildAndACleanOfTheOriginal(@TempDir Path dir) throws Exception {
        Path app = dir.resolve("target/quarkus-app");
        Files.createDirectories(app.resolve("lib/main"));
        Files.writeString(app.resolve("quarkus-run.jar"), "runner v1");
        Files.writeString(app.resolve("lib/main/library.jar"), "library v1");

        Path jar = AppSnapshot.of(app, dir.resolve("data/app/service"));
        assertEquals(dir.resolve("data/app/service/quarkus-run.jar"), jar);

        // a rebuild replaces files, a clean deletes them
        Files.delete(app.resolve("lib/main/library.jar"));
        Files.writeString(app.resolve("lib/main/library.jar"), "library v2");
        Files.delete(app.resolve("quarkus-run.jar"));

        assertEquals("runner v1", Files.readString(jar));
        assertEquals("library v1", Files.readString(dir.resolve("data/app/service/lib/main/library.jar")));
    }

    @Test
    void aNewSnapshotReplacesTheOldOneCompletely(@TempDir Path dir) throws Exception {
        Path app = dir.resolve("quarkus-app");
        Files.createDirectories(app);
        Files.writeString(app.resolve("quarkus-run.jar"), "v1");
        Files.writeString(app.resolve("gone.jar"), "old");
        AppSnapshot.of(app, dir.resolve("snap"));
        Files.delete(app.resolve("gone.jar"));
        Files.delete(app.resolve("quarkus-run.jar"));
        Files.writeString(app.resolve("quarkus-run.jar"), "v2");

        Path jar = AppSnapshot.of(app, dir.resolve("snap"));
        assertEquals("v2", Files.readString(jar));
        assertFalse(Files.exists(dir.resolve("snap/gone.jar")));
    }
}
