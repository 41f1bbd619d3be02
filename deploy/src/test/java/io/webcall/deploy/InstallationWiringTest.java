package io.webcall.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretKeySelector;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.openshift.api.model.monitoring.v1.ServiceMonitor;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How the services find PostgreSQL, Kafka, each other and their secrets in each installation. */
class InstallationWiringTest {

  @Test
  void evaluationWiresTheServicesToTheInClusterPostgresqlKafkaAndCoturn() {
    Rendered release = ValuesScenario.EVALUATION.rendered();

    assertEquals("jdbc:postgresql://webcall-postgresql:5432/webcall",
        release.configMapData("webcall-account").get("QUARKUS_DATASOURCE_JDBC_URL"));
    release.service("webcall-postgresql");
    for (String service : List.of("webcall-edge", "webcall-account", "webcall-relay")) {
      assertEquals("webcall-kafka:9092", release.configMapData(service).get("KAFKA_BOOTSTRAP_SERVERS"), service);
    }
    assertEquals(9092, release.service("webcall-kafka").getSpec().getPorts().get(0).getPort());
    assertTrue(release.configMapData("webcall-kafka").get("server.properties")
        .contains("advertised.listeners=PLAINTEXT://webcall-kafka.calls.svc:9092"));
    assertEquals(1, release.get(StatefulSet.class, "webcall-kafka").getSpec().getReplicas());
    assertEquals(1, release.get(StatefulSet.class, "webcall-postgresql").getSpec().getReplicas());

    Container account = container(release, "webcall-account");
    SecretKeySelector dbPassword = secretRef(account, "QUARKUS_DATASOURCE_PASSWORD");
    SecretKeySelector pgPassword = secretRef(release.get(StatefulSet.class, "webcall-postgresql")
        .getSpec().getTemplate().getSpec().getContainers().get(0), "POSTGRES_PASSWORD");
    assertEquals(pgPassword, dbPassword, "the account service must log in with the password PostgreSQL was created with");

    SecretKeySelector coturnSecret = secretRef(release.get(Deployment.class, "webcall-coturn")
        .getSpec().getTemplate().getSpec().getContainers().get(0), "TURN_SECRET");
    assertEquals(coturnSecret, secretRef(account, "WEBCALL_CLIENT_TURN_SECRET"),
        "coturn must check TURN credentials with the secret the account service signs them with");
    Map<String, String> client = release.configMapData("webcall-account");
    assertEquals("stun:turn.webcall.local:3478", client.get("WEBCALL_CLIENT_STUN_URLS"));
    assertEquals("turn:turn.webcall.local:3478?transport=udp,turn:turn.webcall.local:3478?transport=tcp",
        client.get("WEBCALL_CLIENT_TURN_URLS"));
    assertEquals("ws://webcall.local/sip", client.get("WEBCALL_CLIENT_WEBSOCKET_URLS"));
    assertTrue(release.configMapData("webcall-coturn").get("turnserver.conf").contains("use-auth-secret"));
  }

  @Test
  void productionUsesTheExternalServicesAndOnlyOperatorManagedSecrets() {
    Rendered release = ValuesScenario.PRODUCTION.rendered();

    assertTrue(release.all(Secret.class).isEmpty(), "every secret is operator-managed, yet the chart rendered "
        + release.all(Secret.class).stream().map(s -> s.getMetadata().getName()).toList());
    assertTrue(release.find(StatefulSet.class, "webcall-postgresql").isEmpty());
    assertTrue(release.find(StatefulSet.class, "webcall-kafka").isEmpty());
    assertTrue(release.find(Deployment.class, "webcall-coturn").isEmpty());
    Map<String, String> account = release.configMapData("webcall-account");
    assertEquals("jdbc:postgresql://pg-primary.databases.svc:5432/webcall?sslmode=verify-full",
        account.get("QUARKUS_DATASOURCE_JDBC_URL"));
    assertEquals("SASL_SSL", account.get("KAFKA_SECURITY_PROTOCOL"));
    assertEquals("SCRAM-SHA-512", account.get("KAFKA_SASL_MECHANISM"));

    Container accountContainer = container(release, "webcall-account");
    assertEquals(new SecretKeySelector("db-user", "webcall-db", null), secretRef(accountContainer, "QUARKUS_DATASOURCE_USERNAME"));
    assertEquals(new SecretKeySelector("db-password", "webcall-db", null), secretRef(accountContainer, "QUARKUS_DATASOURCE_PASSWORD"));
    assertEquals(new SecretKeySelector("internal-token", "webcall-platform", null), secretRef(accountContainer, "WEBCALL_INTERNAL_TOKEN"));
    assertEquals(new SecretKeySelector("admin-api-key", "webcall-platform", null), secretRef(accountContainer, "WEBCALL_ADMIN_API_KEY"));
    assertEquals(new SecretKeySelector("key-encryption-key", "webcall-platform", null), secretRef(accountContainer, "WEBCALL_CRYPTO_SECRET_KEY"));

    for (String workload : List.of("webcall-edge", "webcall-account")) {
      Container c = container(release, workload);
      assertEquals("webcall-kafka", secretRef(c, "KAFKA_SASL_PASSWORD").getName());
      String jaas = env(c, "KAFKA_SASL_JAAS_CONFIG").getValue();
      assertEquals("org.apache.kafka.common.security.scram.ScramLoginModule required "
          + "username=\"$(KAFKA_SASL_USERNAME)\" password=\"$(KAFKA_SASL_PASSWORD)\";", jaas);
      int jaasAt = c.getEnv().indexOf(env(c, "KAFKA_SASL_JAAS_CONFIG"));
      assertTrue(c.getEnv().indexOf(env(c, "KAFKA_SASL_PASSWORD")) < jaasAt,
          "Kubernetes expands $(VAR) only from variables defined earlier");
    }
  }

  @Test
  void productionEdgeTerminatesWssWithTheOperatorsCertificateOnTheSipLoadBalancer() {
    Rendered release = ValuesScenario.PRODUCTION.rendered();
    Map<String, String> edge = release.configMapData("webcall-edge");
    assertEquals("8443", edge.get("QUARKUS_HTTP_SSL_PORT"));
    assertEquals("/etc/webcall/tls/tls.crt", edge.get("QUARKUS_HTTP_SSL_CERTIFICATE_FILES"));
    assertEquals("sip.example.com", edge.get("WEBCALL_EDGE_SIP_ADVERTISED_HOST"));
    assertEquals("https://calls.example.com,https://shop.example.org", edge.get("WEBCALL_EDGE_SIP_ALLOWED_ORIGINS"));
    var pod = release.get(Deployment.class, "webcall-edge").getSpec().getTemplate().getSpec();
    var container = pod.getContainers().get(0);
    assertEquals("$(POD_IP)", env(container, "WEBCALL_EDGE_SIP_PEER_HOST").getValue(),
        "other edges reach this edge's users at the pod itself, not through the shared public name");
    assertTrue(container.getEnv().indexOf(env(container, "POD_IP")) < container.getEnv().indexOf(env(container, "WEBCALL_EDGE_SIP_PEER_HOST")),
        "Kubernetes expands $(VAR) only from variables defined earlier");
    assertTrue(pod.getVolumes().stream().anyMatch(v -> v.getSecret() != null
        && v.getSecret().getSecretName().equals("webcall-sip-tls")));

    Service pub = release.service("webcall-edge-public");
    assertEquals("LoadBalancer", pub.getSpec().getType());
    assertEquals("ClientIP", pub.getSpec().getSessionAffinity(), "SIP over UDP needs one PBX to stay on one edge");
    assertEquals(List.of("wss:443/TCP", "sip-udp:5060/UDP", "sip-tcp:5060/TCP"), pub.getSpec().getPorts().stream()
        .map(p -> p.getName() + ":" + p.getPort() + "/" + p.getProtocol()).toList());
    assertEquals("wss://calls.example.com/sip,wss://sip.example.com:443/sip",
        release.configMapData("webcall-account").get("WEBCALL_CLIENT_WEBSOCKET_URLS"));
  }

  @Test
  void defaultsKeepWssOffTheEdgeAndPublishSipOverUdpAndTcp() {
    Rendered release = ValuesScenario.DEFAULTS.rendered();
    Service pub = release.service("webcall-edge-public");
    assertEquals(List.of("sip-udp:5060/UDP", "sip-tcp:5060/TCP"), pub.getSpec().getPorts().stream()
        .map(p -> p.getName() + ":" + p.getPort() + "/" + p.getProtocol()).toList());
    assertFalse(release.configMapData("webcall-edge").containsKey("QUARKUS_HTTP_SSL_PORT"));
    assertEquals("none", release.configMapData("webcall-account").get("WEBCALL_CLIENT_TURN_URLS"));
    assertEquals("0.0.0.0", release.configMapData("webcall-edge").get("WEBCALL_EDGE_SIP_HOST"));
    assertEquals("http://webcall-account:8081", release.configMapData("webcall-edge").get("WEBCALL_EDGE_ACCOUNT_URL"));
    assertEquals("$(POD_NAME)", env(container(release, "webcall-edge"), "WEBCALL_EDGE_KAFKA_INSTANCE_ID").getValue(),
        "each edge needs its own identity to tell its bindings from the others'");
  }

  @Test
  void serviceMonitorsScrapeTheMetricsPortOfEveryPlatformService() {
    Rendered release = ValuesScenario.PRODUCTION.rendered();
    List<ServiceMonitor> monitors = release.all(ServiceMonitor.class);
    assertEquals(3, monitors.size());
    for (ServiceMonitor monitor : monitors) {
      var endpoint = monitor.getSpec().getEndpoints().get(0);
      assertEquals("/q/metrics", endpoint.getPath());
      assertEquals("prometheus", monitor.getMetadata().getLabels().get("release"));
      Map<String, String> selector = monitor.getSpec().getSelector().getMatchLabels();
      List<Service> selected = release.all(Service.class).stream()
          .filter(s -> s.getMetadata().getLabels().entrySet().containsAll(selector.entrySet()))
          .toList();
      assertEquals(1, selected.size(), () -> "ServiceMonitor " + monitor.getMetadata().getName()
          + " must select exactly one Service (else pods are scraped twice): " + selected.stream().map(s -> s.getMetadata().getName()).toList());
      assertTrue(selected.get(0).getSpec().getPorts().stream().anyMatch(p -> p.getName().equals(endpoint.getPort())),
          () -> "ServiceMonitor " + monitor.getMetadata().getName() + " scrapes port " + endpoint.getPort() + " its Service lacks");
    }
    assertTrue(ValuesScenario.DEFAULTS.rendered().all(ServiceMonitor.class).isEmpty(), "ServiceMonitor is opt-in");
  }

  @Test
  void topicsJobCreatesTheCompactedBindingsTopicWithTheReplicationTheClusterAllows() {
    Container evaluation = job(ValuesScenario.EVALUATION.rendered());
    String script = evaluation.getArgs().get(0);
    assertTrue(script.contains("--topic sip-registrations --partitions 6 --replication-factor 1 --config cleanup.policy=compact"), script);
    assertTrue(script.contains("--topic call-events --partitions 6 --replication-factor 1 --config retention.ms=604800000"), script);
    assertTrue(script.contains("--topic media-stats"), script);
    assertEquals("webcall-kafka:9092", env(evaluation, "KAFKA_BOOTSTRAP_SERVERS").getValue());

    Rendered production = ValuesScenario.PRODUCTION.rendered();
    Container external = job(production);
    assertTrue(external.getArgs().get(0).contains("--topic sip-registrations --partitions 6 --replication-factor 3"));
    assertEquals("SASL_SSL", env(external, "KAFKA_SECURITY_PROTOCOL").getValue());
    assertEquals("SCRAM-SHA-512", env(external, "KAFKA_SASL_MECHANISM").getValue());
    assertEquals(new SecretKeySelector("password", "webcall-kafka", null), secretRef(external, "KAFKA_SASL_PASSWORD"));
    assertEquals(4, production.get(io.fabric8.kubernetes.api.model.batch.v1.Job.class, "webcall-kafka-topics-1")
        .getSpec().getBackoffLimit());

    var kafkaPolicy = ValuesScenario.EVALUATION.rendered().get(io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy.class, "webcall-kafka");
    assertTrue(kafkaPolicy.getSpec().getIngress().get(0).getFrom().stream().anyMatch(peer -> peer.getPodSelector() != null
        && "kafka-topics".equals(peer.getPodSelector().getMatchLabels().get("app.kubernetes.io/component"))),
        "the in-cluster broker must admit the topics Job");
  }

  private static Container job(Rendered release) {
    return release.get(io.fabric8.kubernetes.api.model.batch.v1.Job.class, "webcall-kafka-topics-1")
        .getSpec().getTemplate().getSpec().getContainers().get(0);
  }

  private static Container container(Rendered release, String deployment) {
    return release.get(Deployment.class, deployment).getSpec().getTemplate().getSpec().getContainers().get(0);
  }

  private static EnvVar env(Container container, String name) {
    return container.getEnv().stream().filter(e -> e.getName().equals(name)).findFirst()
        .orElseThrow(() -> new AssertionError(container.getName() + " has no env " + name));
  }

  private static SecretKeySelector secretRef(Container container, String name) {
    EnvVar env = env(container, name);
    assertTrue(env.getValueFrom() != null && env.getValueFrom().getSecretKeyRef() != null, name + " is not read from a Secret");
    SecretKeySelector ref = env.getValueFrom().getSecretKeyRef();
    return new SecretKeySelector(ref.getKey(), ref.getName(), null);
  }
}
