package io.webcall.local;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Properties;
import java.util.function.Supplier;

/**
 * The local stack's secrets, generated at the first start and kept in
 * {@code secrets.properties} (owner-only permissions) so tokens, encrypted trunk passwords and the
 * admin key stay valid across restarts. The admin key is also written to {@code admin-api-key}.
 *
 * @param internalToken bearer token between the services ({@code webcall.internal.token})
 * @param adminApiKey   the operator's API key of the account service
 * @param encryptionKey base64 of 32 random bytes: the account service's AES key for stored secrets
 * @param turnSecret    shared secret of the TURN REST API (coturn {@code static-auth-secret})
 * @param keyStorePassword password of the edge's self-signed TLS key store
 */
record Secrets(String internalToken, String adminApiKey, String encryptionKey, String turnSecret, String keyStorePassword) {

    private static final SecureRandom RANDOM = new SecureRandom();

    /** Reads the secrets file, generating (and saving) whatever is missing. */
    static Secrets loadOrCreate(Path file, Path adminKeyFile) throws IOException {
        Properties stored = new Properties();
        if (Files.exists(file)) {
            try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                stored.load(in);
            }
        }
        boolean[] changed = {false};
        Secrets secrets = new Secrets(
                value(stored, "internal-token", () -> base64Url(32), changed),
                value(stored, "admin-api-key", () -> "wk_admin_" + base64Url(24), changed),
                value(stored, "encryption-key", () -> Base64.getEncoder().encodeToString(bytes(32)), changed),
                value(stored, "turn-secret", () -> HexFormat.of().formatHex(bytes(20)), changed),
                value(stored, "tls-key-store-password", () -> base64Url(18), changed));
        if (changed[0]) {
            writeOwnerOnly(file, out -> stored.store(out, "webcall local stack secrets, generated at first start; delete to regenerate"));
        }
        String adminKeyLine = secrets.adminApiKey() + System.lineSeparator();
        if (!Files.exists(adminKeyFile) || !Files.readString(adminKeyFile).equals(adminKeyLine)) {
            writeOwnerOnly(adminKeyFile, out -> out.write(adminKeyLine));
        }
        return secrets;
    }

    private static String value(Properties stored, String key, Supplier<String> generator, boolean[] changed) {
        String value = stored.getProperty(key);
        if (value == null || value.isBlank()) {
            value = generator.get();
            stored.setProperty(key, value);
            changed[0] = true;
        }
        return value.trim();
    }

    private interface WriteAction {
        void write(Writer out) throws IOException;
    }

    private static void writeOwnerOnly(Path file, WriteAction action) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        try {
            Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException e) {
            Files.createFile(tmp);
        }
        try (Writer out = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
            action.write(out);
        }
        Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    private static byte[] bytes(int n) {
        byte[] b = new byte[n];
        RANDOM.nextBytes(b);
        return b;
    }

    private static String base64Url(int n) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes(n));
    }
}
