package io.webcall.signaling.testsupport;

import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Self-signed EC certificates for TLS tests, made by the {@code openssl} command line tool in a temporary directory:
 * {@code <name>.pem} (certificate, subjectAltName IP 127.0.0.1 and DNS localhost unless given) and {@code <name>-key.pem}.
 */
public final class TestCertificates {

    private static Path dir;

    private TestCertificates() {
    }

    public static void assumeAvailable() {
        boolean ok = Files.isExecutable(Path.of("/usr/bin/openssl"));
        if (!ok && "true".equals(System.getenv("CI"))) {
            throw new IllegalStateException("openssl missing");
        }
        Assumptions.assumeTrue(ok, "openssl not installed");
    }

    /** The certificate of {@code name}, created on first use (its key is {@link #key}). */
    public static Path certificate(String name) {
        return certificate(name, "IP:127.0.0.1,DNS:localhost");
    }

    /**
     * The certificate of {@code name} with another subjectAltName (openssl syntax, e.g. {@code DNS:pbx.example}), created
     * on first use: for a certificate that does not name the host it is reached at.
     */
    public static synchronized Path certificate(String name, String subjectAltName) {
        try {
            if (dir == null) {
                dir = Files.createTempDirectory("sip-tls");
                dir.toFile().deleteOnExit();
            }
            Path cert = dir.resolve(name + ".pem");
            if (!Files.exists(cert)) {
                Process p = new ProcessBuilder("/usr/bin/openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
                        "ec_paramgen_curve:prime256v1", "-nodes", "-days", "2", "-subj", "/CN=" + name,
                        "-addext", "subjectAltName=" + subjectAltName,
                        "-keyout", dir.resolve(name + "-key.pem").toString(), "-out", cert.toString())
                        .redirectErrorStream(true).start();
                String out = new String(p.getInputStream().readAllBytes());
                if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0 || !Files.exists(cert)) {
                    throw new IllegalStateException("openssl could not make a certificate: " + out);
                }
            }
            return cert;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The private key of {@link #certificate}. */
    public static Path key(String name) {
        return certificate(name).resolveSibling(name + "-key.pem");
    }
}
