package io.webcall.local;

import io.webcall.infra.EmbeddedPostgresServer;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The configuration the launcher hands each service as {@code -D} system properties: where
 * everything listens, where PostgreSQL and Kafka are, the shared secrets, and the other services'
 * URLs. Everything binds to 127.0.0.1. Only keys a service knows are passed: SmallRye Config
 * refuses unknown keys under a service's own prefixes, system properties included.
 */
final class ServiceSettings {

    private ServiceSettings() {
    }

    static Map<String, String> of(Service service, Ports ports, Secrets secrets, String jdbcUrl, String kafkaBootstrap,
                                  boolean usesDatabase, java.nio.file.Path edgeKeyStore) {
        Map<String, String> p = new LinkedHashMap<>();
        // ---- common: HTTP, readable log files, Kafka, service-to-service token
        p.put("quarkus.http.host", "127.0.0.1");
        p.put("quarkus.http.port", Integer.toString(service.httpPort(ports)));
        p.put("quarkus.log.console.json.enabled", "false");
        p.put("kafka.bootstrap.servers", kafkaBootstrap);
        p.put("webcall.internal.token", secrets.internalToken());
        if (usesDatabase) {
            p.put("quarkus.datasource.jdbc.url", jdbcUrl);
            p.put("quarkus.datasource.username", EmbeddedPostgresServer.USER);
            p.put("quarkus.datasource.password", EmbeddedPostgresServer.PASSWORD);
        }
        switch (service) {
            case ACCOUNT -> {
                p.put("webcall.admin.api-key", secrets.adminApiKey());
                p.put("webcall.crypto.secret-key", secrets.encryptionKey());
                p.put("webcall.client.turn-secret", secrets.turnSecret());
                p.put("webcall.client.websocket-urls",
                        "ws://127.0.0.1:" + ports.edgeHttp() + "/sip,wss://127.0.0.1:" + ports.edgeWss() + "/sip");
                // nothing serves STUN on a laptop's loopback: the relay's host candidate is enough
                p.put("webcall.client.stun-urls", "none");
            }
            case RELAY -> {
                p.put("webcall.relay.bind-address", "127.0.0.1");
                p.put("webcall.relay.advertised-address", "127.0.0.1");
                p.put("webcall.relay.webrtc.port", Integer.toString(ports.relayWebRtc()));
                p.put("webcall.relay.rtp.port-min", Integer.toString(ports.rtpMin()));
                p.put("webcall.relay.rtp.port-max", Integer.toString(ports.rtpMax()));
            }
            case SIGNALING -> {
                p.put("webcall.edge.sip.host", "127.0.0.1");
                p.put("webcall.edge.sip.port", Integer.toString(ports.sip()));
                p.put("webcall.edge.account.url", "http://127.0.0.1:" + ports.account());
                p.put("webcall.edge.media.relay-url", "http://127.0.0.1:" + ports.relayControl());
                p.put("webcall.edge.kafka.enabled", "true");
                // wss:// on its own port: the same routes (softphone page, /sip) over TLS, self-signed
                p.put("quarkus.http.ssl-port", Integer.toString(ports.edgeWss()));
                p.put("quarkus.tls.key-store.p12.path", edgeKeyStore.toString());
                p.put("quarkus.tls.key-store.p12.password", secrets.keyStorePassword());
            }
        }
        return p;
    }
}
