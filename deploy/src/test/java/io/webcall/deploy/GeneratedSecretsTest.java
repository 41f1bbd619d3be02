package io.webcall.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Secrets the chart creates: random on first install, unchanged on upgrade, never outside Secrets. */
class GeneratedSecretsTest {

  private final ClusterApiStandIn cluster = ClusterApiStandIn.start();

  @AfterEach
  void forgetStoredSecrets() {
    cluster.removeSecret(WebcallChart.NAMESPACE, "webcall-secrets");
    cluster.removeSecret(WebcallChart.NAMESPACE, "webcall-postgresql");
  }

  @Test
  void firstInstallGeneratesStrongDistinctSecrets() {
    Map<String, String> first = WebcallChart.renderDefaults().secretData("webcall-secrets");
    Map<String, String> second = WebcallChart.renderDefaults().secretData("webcall-secrets");

    assertEquals(List.of("admin-api-key", "internal-token", "key-encryption-key", "turn-secret"),
        first.keySet().stream().sorted().toList());
    assertTrue(first.get("internal-token").length() >= 32);
    assertTrue(first.get("admin-api-key").length() >= 32);
    assertTrue(first.get("turn-secret").length() >= 32);
    assertEquals(32, Base64.getDecoder().decode(first.get("key-encryption-key")).length,
        "the account service expects base64 of 32 random bytes");
    assertNotEquals(first.get("internal-token"), second.get("internal-token"), "two installations must not share secrets");
    assertNotEquals(first.get("internal-token"), first.get("admin-api-key"));
  }

  @Test
  void upgradeKeepsTheSecretsStoredInTheCluster() {
    Map<String, String> stored = Map.of(
        "internal-token", "stored-internal-token-0123456789abcdef",
        "admin-api-key", "stored-admin-key-0123456789abcdef",
        "key-encryption-key", Base64.getEncoder().encodeToString(new byte[32]),
        "turn-secret", "stored-turn-secret-0123456789abcdef");
    cluster.putSecret(WebcallChart.NAMESPACE, "webcall-secrets", stored);
    cluster.putSecret(WebcallChart.NAMESPACE, "webcall-postgresql", Map.of("username", "webcall", "password", "stored-db-password"));

    Rendered upgrade = WebcallChart.render(List.of(WebcallChart.EVALUATION_VALUES), Map.of());

    assertEquals(stored, upgrade.secretData("webcall-secrets"),
        "regenerating would lock out clients and make encrypted data unreadable");
    assertEquals("stored-db-password", upgrade.secretData("webcall-postgresql").get("password"));
    assertEquals("keep", upgrade.get(Secret.class, "webcall-secrets").getMetadata().getAnnotations().get("helm.sh/resource-policy"));
  }

  @Test
  void explicitSecretValuesAppearOnlyInsideSecrets() {
    Map<String, Object> values = Map.of(
        "secrets.internalToken", "internal-token-value-f1e2d3",
        "secrets.adminApiKey", "admin-api-key-value-a9b8c7",
        "secrets.turnSecret", "turn-secret-value-112233",
        "postgresql.password", "pg-password-value-445566",
        "postgresql.enabled", true,
        "kafka.enabled", true,
        "coturn.enabled", true,
        "coturn.publicHost", "turn.example.net");
    String output = WebcallChart.template(List.of(), values);
    Rendered release = Rendered.parse(output);

    for (Rendered.Manifest manifest : release.manifests()) {
      HasMetadata resource = manifest.resource();
      if (resource instanceof Secret) {
        continue;
      }
      String text = io.fabric8.kubernetes.client.utils.Serialization.asYaml(resource);
      for (Map.Entry<String, Object> value : values.entrySet()) {
        if (value.getKey().startsWith("secrets.") || value.getKey().endsWith("password")) {
          String secret = (String) value.getValue();
          assertFalse(text.contains(secret) || text.contains(Base64.getEncoder().encodeToString(secret.getBytes())),
              () -> manifest.source() + " contains the value of " + value.getKey());
        }
      }
    }
    assertEquals("internal-token-value-f1e2d3", release.secretData("webcall-secrets").get("internal-token"));
    assertEquals("pg-password-value-445566", release.secretData("webcall-postgresql").get("password"));
  }
}
