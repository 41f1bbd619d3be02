package io.webcall.local;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Base64;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SecretsTest {

    @Test
    void generatedAtFirstStartAndKeptAfterwards(@TempDir Path dir) throws Exception {
        Secrets first = Secrets.loadOrCreate(dir.resolve("secrets.properties"), dir.resolve("admin-api-key"));
        Secrets second = Secrets.loadOrCreate(dir.resolve("secrets.properties"), dir.resolve("admin-api-key"));
        assertEquals(first, second);
        assertEquals(first.adminApiKey(), Files.readString(dir.resolve("admin-api-key")).trim());
        assertEquals(32, Base64.getDecoder().decode(first.encryptionKey()).length);
        assertTrue(first.internalToken().length() >= 40, first.internalToken());
        assertNotEquals(first.internalToken(), first.turnSecret());
    }

    @Test
    void onlyTheOwnerMayReadThem(@TempDir Path dir) throws Exception {
        Secrets.loadOrCreate(dir.resolve("secrets.properties"), dir.resolve("admin-api-key"));
        Set<PosixFilePermission> ownerOnly = Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
        assertEquals(ownerOnly, Files.getPosixFilePermissions(dir.resolve("secrets.properties")));
        assertEquals(ownerOnly, Files.getPosixFilePermissions(dir.resolve("admin-api-key")));
    }

    @Test
    void aMissingValueIsGeneratedWithoutChangingTheOthers(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("secrets.properties");
        Files.writeString(file, "admin-api-key=wk_admin_kept\ninternal-token=kept-token\n");
        Secrets secrets = Secrets.loadOrCreate(file, dir.resolve("admin-api-key"));
        assertEquals("wk_admin_kept", secrets.adminApiKey());
        assertEquals("kept-token", secrets.internalToken());
        assertEquals(secrets, Secrets.loadOrCreate(file, dir.resolve("admin-api-key")));
    }
}
