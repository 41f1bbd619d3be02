package io.webcall.signaling.testsupport;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Like {@link EdgeTestResource}, with the HTTPS server (and so {@code wss://.../sip}) on a free port, using a
 * self-signed certificate for 127.0.0.1 generated with keytool into a temporary PKCS#12 key store.
 */
public class WssEdgeTestResource extends EdgeTestResource {

    public static final String KEY_STORE_PASSWORD = "edge-test-secret";
    private static Path keyStore;

    /** The PKCS#12 key store holding the edge's certificate (usable as a trust store by clients). */
    public static Path keyStore() {
        return keyStore;
    }

    @Override
    public Map<String, String> start() {
        Map<String, String> cfg = super.start();
        try {
            if (keyStore == null) {
                Path dir = Files.createTempDirectory("edge-tls");
                Path p12 = dir.resolve("edge.p12");
                Process keytool = new ProcessBuilder("keytool", "-genkeypair", "-alias", "edge", "-keyalg", "EC",
                        "-groupname", "secp256r1", "-sigalg", "SHA256withECDSA", "-validity", "2", "-dname", "CN=127.0.0.1",
                        "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-storetype", "PKCS12", "-keystore", p12.toString(),
                        "-storepass", KEY_STORE_PASSWORD, "-keypass", KEY_STORE_PASSWORD)
                        .redirectErrorStream(true).redirectOutput(dir.resolve("keytool.log").toFile()).start();
                if (!keytool.waitFor(60, TimeUnit.SECONDS) || keytool.exitValue() != 0) {
                    throw new IllegalStateException("keytool failed: " + Files.readString(dir.resolve("keytool.log")));
                }
                keyStore = p12;
            }
        } catch (Exception e) {
            throw new IllegalStateException("cannot create the edge's test certificate: " + e.getMessage(), e);
        }
        cfg.put("quarkus.http.test-ssl-port", "0");
        cfg.put("quarkus.tls.key-store.p12.path", keyStore.toString());
        cfg.put("quarkus.tls.key-store.p12.password", KEY_STORE_PASSWORD);
        return cfg;
    }
}
