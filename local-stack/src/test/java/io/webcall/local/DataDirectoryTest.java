package io.webcall.local;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DataDirectoryTest {

    @Test
    void aSecondStackOnTheSameDirectoryIsRefused(@TempDir Path dir) throws Exception {
        try (DataDirectory first = new DataDirectory(dir)) {
            first.lock();
            DataDirectory second = new DataDirectory(dir);
            IllegalStateException e = assertThrows(IllegalStateException.class, second::lock);
            assertTrue(e.getMessage().contains("another local stack"), e.getMessage());
        }
        try (DataDirectory again = new DataDirectory(dir)) {
            again.lock();
        }
    }

    @Test
    void wipeLeavesAnEmptyDirectory(@TempDir Path dir) throws Exception {
        try (DataDirectory data = new DataDirectory(dir)) {
            data.lock();
            Files.createDirectories(data.postgres().resolve("base"));
            Files.writeString(data.postgres().resolve("base/file"), "x");
            Files.writeString(data.secrets(), "k=v");
            data.wipe();
            assertFalse(Files.exists(data.postgres()));
            assertFalse(Files.exists(data.secrets()));
            try (Stream<Path> left = Files.list(dir)) {
                assertEquals(2, left.count(), "only the lock and an empty logs folder remain");
            }
        }
    }

    @Test
    void theLogOfThePreviousRunIsKeptOnce(@TempDir Path dir) throws Exception {
        try (DataDirectory data = new DataDirectory(dir)) {
            data.lock();
            Files.writeString(data.freshLog("account-service"), "run 1");
            Files.writeString(data.freshLog("account-service"), "run 2");
            Path log = data.freshLog("account-service");
            assertFalse(Files.exists(log));
            assertEquals("run 2", Files.readString(dir.resolve("logs/account-service.log.1")));
        }
    }
}
