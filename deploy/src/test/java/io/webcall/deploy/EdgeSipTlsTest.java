package io.webcall.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * SIP over TLS toward PBX trunks (edge.sipTls): the edge's listener, its certificate Secret, trusted CA and client
 * certificate policy reach the edge's configuration, and the listener's port is published and let in.
 */
class EdgeSipTlsTest {

  @Test
  void enabledSipTlsMountsTheSecretConfiguresTheListenerAndPublishesItsPort() {
    Rendered release = WebcallChart.renderWith(Map.of(
        "edge.sipTls.enabled", true,
        "edge.sipTls.existingSecret", "edge-sip-cert",
        "edge.sipTls.trustSecretCa", true,
        "edge.sipTls.clientAuth", "required"));
    Map<String, String> config = release.configMapData("webcall-edge");
    assertEquals("true", config.get("WEBCALL_EDGE_SIP_TLS_LISTEN"));
    assertEquals("5061", config.get("WEBCALL_EDGE_SIP_TLS_PORT"));
    assertEquals("/etc/webcall/sip-tls/tls.crt", config.get("WEBCALL_EDGE_SIP_TLS_CERTIFICATE"));
    assertEquals("/etc/webcall/sip-tls/tls.key", config.get("WEBCALL_EDGE_SIP_TLS_KEY"));
    assertEquals("/etc/webcall/sip-tls/ca.crt", config.get("WEBCALL_EDGE_SIP_TLS_TRUST_CERTIFICATES"));
    assertEquals("required", config.get("WEBCALL_EDGE_SIP_TLS_CLIENT_AUTH"));
    assertEquals("true", config.get("WEBCALL_EDGE_SIP_TLS_VERIFY_HOST"));

    PodSpec pod = release.get(Deployment.class, "webcall-edge").getSpec().getTemplate().getSpec();
    Container edge = pod.getContainers().get(0);
    assertTrue(edge.getPorts().stream().anyMatch(p -> "sip-tls".equals(p.getName()) && p.getContainerPort() == 5061
        && "TCP".equals(p.getProtocol())));
    assertTrue(edge.getVolumeMounts().stream().anyMatch(m -> m.getName().equals("sip-tls")
        && m.getMountPath().equals("/etc/webcall/sip-tls") && Boolean.TRUE.equals(m.getReadOnly())));
    assertTrue(pod.getVolumes().stream().anyMatch(v -> v.getName().equals("sip-tls")
        && v.getSecret() != null && "edge-sip-cert".equals(v.getSecret().getSecretName())));

    Service pub = release.service("webcall-edge-public");
    assertTrue(pub.getSpec().getPorts().stream().anyMatch(p -> "sip-tls".equals(p.getName()) && p.getPort() == 5061
        && "sip-tls".equals(p.getTargetPort().getStrVal())));
    NetworkPolicy policy = release.get(NetworkPolicy.class, "webcall-edge");
    assertTrue(policy.getSpec().getIngress().get(0).getPorts().stream()
        .anyMatch(p -> p.getPort().getIntVal() == 5061 && "TCP".equals(p.getProtocol())), "PBXes may connect");
  }

  @Test
  void withoutSipTlsNothingOfItIsRendered() {
    Rendered release = WebcallChart.renderDefaults();
    assertFalse(release.configMapData("webcall-edge").containsKey("WEBCALL_EDGE_SIP_TLS_LISTEN"));
    assertFalse(release.service("webcall-edge-public").getSpec().getPorts().stream()
        .anyMatch(p -> "sip-tls".equals(p.getName())));
    assertFalse(release.get(Deployment.class, "webcall-edge").getSpec().getTemplate().getSpec().getVolumes().stream()
        .anyMatch(v -> v.getName().equals("sip-tls")));
  }
}
