package io.webcall.local;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The signaling edge's self-signed certificate for {@code wss://127.0.0.1:<wss port>/sip} (EC P-256,
 * subject alternative names 127.0.0.1 and localhost), made once with the JDK's {@code keytool} and
 * kept in {@code tls/edge.p12} of the data directory. Browsers must accept it once (open
 * {@code https://127.0.0.1:<wss port>/}); the plain {@code ws://} endpoint needs nothing.
 */
final class EdgeCertificate {

    private EdgeCertificate() {
    }

    /** @return the PKCS#12 key store, created if absent */
    static Path ensure(Path keyStore, String password) throws IOException, InterruptedException {
        if (Files.isRegularFile(keyStore)) {
            return keyStore;
        }
        Files.createDirectories(keyStore.getParent());
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        Process process = new ProcessBuilder(List.of(keytool.toString(),
                "-genkeypair", "-alias", "edge",
                "-keyalg", "EC", "-groupname", "secp256r1", "-sigalg", "SHA256withECDSA",
                "-dname", "CN=webcall local stack",
                "-ext", "SAN=ip:127.0.0.1,dns:localhost",
                "-validity", "825",
                "-storetype", "PKCS12", "-keystore", keyStore.toString(),
                "-storepass", password, "-keypass", password))
                .redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            process.destroyForcibly();
            Files.deleteIfExists(keyStore);
            throw new IOException("keytool could not create the edge certificate: " + output.strip());
        }
        return keyStore;
    }
}
