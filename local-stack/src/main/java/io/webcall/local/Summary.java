package io.webcall.local;

import java.nio.file.Path;

/** The short text printed once everything is up: where things are and how to log in. */
final class Summary {

    private Summary() {
    }

    static String of(LocalStack stack, Path workingDirectory) {
        Ports p = stack.ports();
        Path data = relative(stack.dataDir(), workingDirectory);
        String pbx = stack.pbx().map(PbxTrunk::toString).orElse("none (user-to-user and echo calls; --pbx sip:HOST:PORT sets one)");
        return String.join(System.lineSeparator(),
                "",
                "webcall is running on loopback",
                "  softphone page     " + stack.softphoneUrl(),
                "  SIP over WebSocket " + stack.sipWebSocketUrl() + "   (" + stack.sipSecureWebSocketUrl() + ", self-signed)",
                "  SIP toward PBXes   udp/tcp 127.0.0.1:" + p.sip(),
                "  account API        " + stack.accountUrl().resolve("/v1/") + "   OpenAPI " + stack.openApiUrl(),
                "  relay control      " + stack.relayUrl() + "   media udp 127.0.0.1:" + p.relayWebRtc()
                        + ", RTP " + p.rtpMin() + "-" + p.rtpMax(),
                "  PostgreSQL, Kafka  127.0.0.1:" + p.postgres() + ", " + stack.kafkaBootstrapServers(),
                "  admin API key      " + stack.adminApiKey() + "   (also in " + data.resolve("admin-api-key") + ")",
                "  demo tenant        " + stack.demoDomain() + "   PBX: " + pbx,
                "  demo users         " + String.join(", ", stack.demoUsers()) + "   (SIP password: " + stack.demoPassword() + ")",
                "  data and logs      " + data + "/   (logs/<service>.log)",
                "Ctrl-C stops everything.");
    }

    private static Path relative(Path path, Path base) {
        Path abs = base.toAbsolutePath().normalize();
        return path.startsWith(abs) && !path.equals(abs) ? abs.relativize(path) : path;
    }
}
