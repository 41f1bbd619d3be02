package io.webcall.signaling.transport;

import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import io.webcall.signaling.EdgeConfig;

import java.util.concurrent.TimeUnit;

/**
 * TLS settings of the SIP transports (RFC 3261 section 26.2, RFC 5922): the client side toward PBX trunks verifies
 * the server's certificate chain against the configured PEM certificates (the JDK's trust store when none are set) and,
 * unless turned off, that the certificate names the host connected to (subjectAltName, RFC 5922 section 7.2); the
 * server side presents the configured certificate and key.
 */
final class SipTls {

    private SipTls() {
    }

    /** Options of the TLS client toward PBXes. */
    static NetClientOptions clientOptions(EdgeConfig.Tls tls) {
        NetClientOptions o = new NetClientOptions().setConnectTimeout(3000).setSsl(true)
                .setSslHandshakeTimeout(Math.max(1, tls.handshakeTimeout().toMillis())).setSslHandshakeTimeoutUnit(TimeUnit.MILLISECONDS)
                .setHostnameVerificationAlgorithm(tls.verifyHost() ? "HTTPS" : "");
        tls.trustCertificates().ifPresent(files -> {
            PemTrustOptions trust = new PemTrustOptions();
            files.forEach(trust::addCertPath);
            o.setTrustOptions(trust);
        });
        return o;
    }

    /** Options of the TLS listener for requests from PBXes; fails when its certificate or key is not configured. */
    static NetServerOptions serverOptions(EdgeConfig.Sip sip, int idleSeconds) {
        EdgeConfig.Tls tls = sip.tls();
        if (tls.certificate().isEmpty() || tls.key().isEmpty()) {
            throw new IllegalStateException("webcall.edge.sip.tls.listen=true needs webcall.edge.sip.tls.certificate and "
                    + "webcall.edge.sip.tls.key (PEM files)");
        }
        return new NetServerOptions().setHost(sip.host()).setPort(tls.port()).setSsl(true)
                .setKeyCertOptions(new PemKeyCertOptions().setCertPath(tls.certificate().get()).setKeyPath(tls.key().get()))
                .setSslHandshakeTimeout(Math.max(1, tls.handshakeTimeout().toMillis())).setSslHandshakeTimeoutUnit(TimeUnit.MILLISECONDS)
                .setIdleTimeout(idleSeconds).setIdleTimeoutUnit(TimeUnit.SECONDS);
    }
}
