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
        refused("no database URL while the in-cluster PostgreSQL is off",
            Map.of("database.jdbcUrl", ""),
            "database.jdbcUrl is required when postgresql.enabled is false"),
        refused("a database URL that is not a PostgreSQL JDBC URL",
            Map.of("database.jdbcUrl", "postgres://db:5432/webcall"),
            "database.jdbcUrl must start with jdbc:postgresql://"),
        refused("no Kafka bootstrap servers while the in-cluster Kafka is off",
            Map.of("kafka.bootstrapServers", ""),
            "kafka.bootstrapServers is required when kafka.enabled is false"),
        refused("an unknown relay mode",
            Map.of("relay.mode", "nodePort"),
            "/relay/mode", "hostNetwork", "perPodService"),
        refused("per-pod relay addresses missing",
            Map.of("relay.mode", "perPodService", "relay.rtpPorts.max", 20099),
            "relay.publicAddresses has 0 entries but relay.replicaCount is 2"),
        refused("a per-pod relay RTP range too wide for load balancers", WebcallChart.PRODUCTION_VALUES,
            Map.of("relay.rtpPorts.max", 20999),
            "relay.rtpPorts spans 1000 ports", "relay.mode=hostNetwork"),
        refused("an RTP range upside down",
            Map.of("relay.rtpPorts.min", 21000, "relay.rtpPorts.max", 20000),
            "relay.rtpPorts.min (21000) must not be greater than relay.rtpPorts.max (20000)"),
        refused("the WebRTC port inside the RTP range",
            Map.of("relay.webrtcPort", 20500),
            "relay.webrtcPort (20500) must lie outside relay.rtpPorts"),
        refused("a port out of range",
            Map.of("edge.ports.sip", 70000),
            "/edge/ports/sip", "maximum"),
        refused("a misspelt key",
            Map.of("edge.autoscalling.enabled", false),
            "/edge", "autoscalling", "not allowed"),
        refused("containers allowed to run as root",
            Map.of("podSecurityContext.runAsNonRoot", false),
            "/podSecurityContext/runAsNonRoot"),
        refused("edge TLS without a certificate Secret",
            Map.of("edge.tls.enabled", true),
            "edge.tls.existingSecret is empty"),
        refused("a public SIP port other than the edge's own",
            Map.of("edge.publicService.sipPort", 5080),
            "edge.publicService.sipPort (5080) must equal edge.ports.sip (5060)"),
        refused("a public SIP over TLS port other than the edge's own",
            Map.of("edge.sipTls.enabled", true, "edge.sipTls.existingSecret", "edge-sip-cert",
                "edge.publicService.sipTlsPort", 443),
            "edge.publicService.sipTlsPort (443) must equal edge.sipTls.port (5061)"),
        refused("edge SIP over TLS without a certificate Secret",
            Map.of("edge.sipTls.enabled", true),
            "edge.sipTls.existingSecret is empty"),
        refused("an unknown client certificate policy",
            Map.of("edge.sipTls.clientAuth", "optional"),
            "/edge/sipTls/clientAuth"),
        refused("Kafka SASL without credentials",
            Map.of("kafka.securityProtocol", "SASL_SSL"),
            "kafka.securityProtocol=SASL_SSL needs SASL credentials"),
        refused("an unknown Kafka security protocol",
            Map.of("kafka.securityProtocol", "TLS"),
            "/kafka/securityProtocol"),
        refused("coturn without a public host for the TURN URLs",
            Map.of("coturn.enabled", true),
            "coturn.publicHost is required"),
        refused("no WebSocket URL for browsers",
            Map.of("ingress.enabled", false),
            "client.websocketUrls is empty"),
        refused("a TURN URL that is not one",
            Map.of("client.turnUrls[0]", "https://turn.example.com"),
            "/client/turnUrls/0"),
        refused("a relay replica count of zero",
            Map.of("relay.replicaCount", 0),
            "/relay/replicaCount", "minimum"));
  }

  /** Values on top of the chart's defaults, and fragments the error must contain. */
  private static Arguments refused(String problem, Map<String, Object> values, String... fragments) {
    return Arguments.of(problem, List.of(), values, List.of(fragments));
  }

  /** Values on top of a values file, and fragments the error must contain. */
  private static Arguments refused(String problem, Path valuesFile, Map<String, Object> values, String... fragments) {
    return Arguments.of(problem, List.of(valuesFile), values, List.of(fragments));
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
