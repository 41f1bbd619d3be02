package io.webcall.deploy;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Values that make no working installation are refused at render time with a message naming the problem. */
class InvalidValuesTest {

  static Stream<Arguments> invalidValues() {
    return Stream.of(
        Arguments.of("no database URL while the in-cluster PostgreSQL is off",
            List.of(), Map.of("database.jdbcUrl", ""),
            List.of("database.jdbcUrl is required when postgresql.enabled is false")),
        Arguments.of("a database URL that is not a PostgreSQL JDBC URL",
            List.of(), Map.of("database.jdbcUrl", "postgres://db:5432/webcall"),
            List.of("database.jdbcUrl must start with jdbc:postgresql://")),
        Arguments.of("no Kafka bootstrap servers while the in-cluster Kafka is off",
            List.of(), Map.of("kafka.bootstrapServers", ""),
            List.of("kafka.bootstrapServers is required when kafka.enabled is false")),
        Arguments.of("an unknown relay mode",
            List.of(), Map.of("relay.mode", "nodePort"),
            List.of("/relay/mode", "hostNetwork", "perPodService")),
        Arguments.of("per-pod relay addresses missing",
            List.of(), Map.of("relay.mode", "perPodService", "relay.rtpPorts.max", 20099),
            List.of("relay.publicAddresses has 0 entries but relay.replicaCount is 2")),
        Arguments.of("a per-pod relay RTP range too wide for load balancers",
            List.of(WebcallChart.PRODUCTION_VALUES), Map.of("relay.rtpPorts.max", 20999),
            List.of("relay.rtpPorts spans 1000 ports", "relay.mode=hostNetwork")),
        Arguments.of("an RTP range upside down",
            List.of(), Map.of("relay.rtpPorts.min", 21000, "relay.rtpPorts.max", 20000),
            List.of("relay.rtpPorts.min (21000) must not be greater than relay.rtpPorts.max (20000)")),
        Arguments.of("the WebRTC port inside the RTP range",
            List.of(), Map.of("relay.webrtcPort", 20500),
            List.of("relay.webrtcPort (20500) must lie outside relay.rtpPorts")),
        Arguments.of("a port out of range",
            List.of(), Map.of("edge.ports.sip", 70000),
            List.of("/edge/ports/sip", "maximum")),
        Arguments.of("a misspelt key",
            List.of(), Map.of("edge.autoscalling.enabled", false),
            List.of("/edge", "autoscalling", "not allowed")),
        Arguments.of("containers allowed to run as root",
            List.of(), Map.of("podSecurityContext.runAsNonRoot", false),
            List.of("/podSecurityContext/runAsNonRoot")),
        Arguments.of("edge TLS without a certificate Secret",
            List.of(), Map.of("edge.tls.enabled", true),
            List.of("edge.tls.existingSecret is empty")),
        Arguments.of("Kafka SASL without credentials",
            List.of(), Map.of("kafka.securityProtocol", "SASL_SSL"),
            List.of("kafka.securityProtocol=SASL_SSL needs SASL credentials")),
        Arguments.of("an unknown Kafka security protocol",
            List.of(), Map.of("kafka.securityProtocol", "TLS"),
            List.of("/kafka/securityProtocol")),
        Arguments.of("coturn without a public host for the TURN URLs",
            List.of(), Map.of("coturn.enabled", true),
            List.of("coturn.publicHost is required")),
        Arguments.of("no WebSocket URL for browsers",
            List.of(), Map.of("ingress.enabled", false),
            List.of("client.websocketUrls is empty")),
        Arguments.of("a TURN URL that is not one",
            List.of(), Map.of("client.turnUrls[0]", "https://turn.example.com"),
            List.of("/client/turnUrls/0")),
        Arguments.of("a negative replica count",
            List.of(), Map.of("relay.replicaCount", 0),
            List.of("/relay/replicaCount", "minimum")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalidValues")
  void renderingFailsWithAMessageNamingTheProblem(String problem, List<Path> files, Map<String, Object> values,
      List<String> expectedFragments) {
    String message = WebcallChart.renderFailure(files, values);

    for (String fragment : expectedFragments) {
      assertTrue(message.contains(fragment),
          () -> problem + ": expected the message to mention '" + fragment + "' but it was: " + message);
    }
  }
}
