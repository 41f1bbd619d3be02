package io.webcall.local;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The configuration the launcher hands each service as {@code -D} system properties: where
 * everything listens, where PostgreSQL and Kafka are, the shared secrets, and the other services'
 * URLs. Everything binds to 127.0.0.1.
 */
final class ServiceSettings {

    private ServiceSettings() {
    }

    static Map<String, String> of(Service service, Ports ports, Secrets secrets, String jdbcUrl, String kafkaBootstrap) {
        Map<String, String> p = new LinkedHashMap<>();
        // ---- common: HTTP, readable log files, PostgreSQL, Kafka, service-to-service token
        p.put("quarkus.http.host", "127.0.0.1");
        p.put("quarkus.http.port", Integer.toString(service.httpPort(ports)));
        p.put("quarkus.log.console.json.enabled", "false");
        p.put("quarkus.datasource.jdbc.url", jdbcUrl);
        p.put("quarkus.datasource.username", io.webcall.infra.EmbeddedPostgresServer.USER);
        p.put("quarkus.datasource.password", io.webcall.infra.EmbeddedPostgresServer.PASSWORD);
        p.put("kafka.bootstrap.servers", kafkaBootstrap);
        p.put("webcall.internal.token", secrets.internalToken());
        String accountUrl = "http://127.0.0.1:" + ports.account();
        String relayUrl = "http://127.0.0.1:" + ports.relayControl();
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
                p.put("webcall.relay.media-port", Integer.toString(ports.relayWebRtc()));
                p.put("webcall.relay.rtp-port-min", Integer.toString(ports.rtpMin()));
                p.put("webcall.relay.rtp-port-max", Integer.toString(ports.rtpMax()));
                p.put("webcall.relay.bind-address", "127.0.0.1");
                p.put("webcall.relay.public-address", "127.0.0.1");
            }
            case SIGNALING -> {
                p.put("webcall.account.url", accountUrl);
                p.put("webcall.relay.url", relayUrl);
                p.put("webcall.sip.host", "127.0.0.1");
                p.put("webcall.sip.port", Integer.toString(ports.sip()));
                p.put("webcall.wss.port", Integer.toString(ports.edgeWss()));
            }
        }
        return p;
    }
}
