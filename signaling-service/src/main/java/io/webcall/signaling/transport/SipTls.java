package io.webcall.signaling.transport;

import io.vertx.core.http.ClientAuth;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import io.webcall.signaling.EdgeConfig;

import java.util.concurrent.TimeUnit;

/**
 * TLS settings of the SIP transports (RFC 3261 section 26.2, RFC 5922): the client side toward PBX trunks verifies
 * the server's certificate chain against the configured PEM certificates (the JDK's trust store when none are set) and,
 * unless turned off, that the certificate names the host connected to (subjectAltName, RFC 5922 section 7.2), and
 * presents the edge's certificate when the PBX asks for one; the server side presents the configured certificate and
 * key and, when configured, asks PBXes for theirs (section 7.3).
 */
final class SipTls {

    private SipTls() {
    }

    /** Options of the TLS client toward PBXes. */
    static NetClientOptions clientOptions(EdgeConfig.Tls tls) {
        NetClientOptions o = new NetClientOptions().setConnectTimeout(3000).setSsl(true)
                .setSslHandshakeTimeout(Math.max(1, tls.handshakeTimeout().toMillis())).setSslHandshakeTimeoutUnit(TimeUnit.MILLISECONDS)
                .setHostnameVerificationAlgorithm(tls.verifyHost() ? "HTTPS" : "");
        trust(tls).ifPresent(o::setTrustOptions);
        // mutual TLS trunks: the edge's own certificate answers a PBX's certificate request (RFC 5922 section 7.3)
        if (tls.certificate().isPresent() && tls.key().isPresent()) {
            o.setKeyCertOptions(new PemKeyCertOptions().setCertPath(tls.certificate().get()).setKeyPath(tls.key().get()));
        }
        return o;
    }

    /** The configured trusted PEM certificates; empty means the JDK's trust store. */
    private static java.util.Optional<PemTrustOptions> trust(EdgeConfig.Tls tls) {
        return tls.trustCertificates().map(files -> {
            PemTrustOptions trust = new PemTrustOptions();
            files.forEach(trust::addCertPath);
            return trust;
        });
    }

    /** Options of the TLS listener for requests from PBXes; fails when its certificate or key is not configured. */
    static NetServerOptions serverOptions(EdgeConfig.Sip sip, int idleSeconds) {
        EdgeConfig.Tls tls = sip.tls();
        if (tls.certificate().isEmpty() || tls.key().isEmpty()) {
            throw new IllegalStateException("webcall.edge.sip.tls.listen=true needs webcall.edge.sip.tls.certificate and "
                    + "webcall.edge.sip.tls.key (PEM files)");
        }
        NetServerOptions o = new NetServerOptions().setHost(sip.host()).setPort(tls.port()).setSsl(true)
                .setKeyCertOptions(new PemKeyCertOptions().setCertPath(tls.certificate().get()).setKeyPath(tls.key().get()))
                .setSslHandshakeTimeout(Math.max(1, tls.handshakeTimeout().toMillis())).setSslHandshakeTimeoutUnit(TimeUnit.MILLISECONDS)
                .setIdleTimeout(idleSeconds).setIdleTimeoutUnit(TimeUnit.SECONDS);
        // RFC 5922 section 7.3: a PBX's client certificate, checked against the same trusted certificates
        o.setClientAuth(switch (tls.clientAuth()) {
            case NONE -> ClientAuth.NONE;
            case REQUEST -> ClientAuth.REQUEST;
            case REQUIRED -> ClientAuth.REQUIRED;
        });
        trust(tls).ifPresent(o::setTrustOptions);
        return o;
    }
}
