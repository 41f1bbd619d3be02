package io.webcall.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The media relay's networking: WebRTC port and RTP range reachable, the right address advertised. */
class RelayNetworkingTest {

  @Test
  void hostNetworkModeRunsOneRelayPerNodeOnTheNodesPortsAndAdvertisesTheNodeAddress() {
    Rendered release = ValuesScenario.DEFAULTS.rendered();
    PodSpec pod = release.get(StatefulSet.class, "webcall-relay").getSpec().getTemplate().getSpec();
    Container relay = pod.getContainers().get(0);

    assertEquals(Boolean.TRUE, pod.getHostNetwork());
    assertEquals("ClusterFirstWithHostNet", pod.getDnsPolicy());
    ContainerPort webrtc = port(relay, "webrtc");
    assertEquals("UDP", webrtc.getProtocol());
    assertEquals(10000, webrtc.getContainerPort());
    assertEquals(10000, webrtc.getHostPort());
    var antiAffinity = pod.getAffinity().getPodAntiAffinity().getRequiredDuringSchedulingIgnoredDuringExecution();
    assertEquals("kubernetes.io/hostname", antiAffinity.get(0).getTopologyKey(), "two relays on one node would clash on host ports");

    Map<String, String> config = release.configMapData("webcall-relay");
    assertEquals("0.0.0.0", config.get("WEBCALL_RELAY_BIND_ADDRESS"));
    assertEquals("10000", config.get("WEBCALL_RELAY_WEBRTC_PORT"));
    assertEquals("20000", config.get("WEBCALL_RELAY_RTP_PORT_MIN"));
    assertEquals("20999", config.get("WEBCALL_RELAY_RTP_PORT_MAX"));
    EnvVar advertised = env(relay, "WEBCALL_RELAY_ADVERTISED_ADDRESS");
    assertEquals("status.hostIP", advertised.getValueFrom().getFieldRef().getFieldPath());
    assertEquals("$(POD_IP)", env(relay, "QUARKUS_HTTP_HOST").getValue(),
        "with host networking the control API must not listen on every node interface");
  }

  @Test
  void perPodServiceModeGivesEachRelayALoadBalancerForItsWebrtcPortAndWholeRtpRange() {
    Rendered release = ValuesScenario.PRODUCTION.rendered();
    StatefulSet relays = release.get(StatefulSet.class, "webcall-relay");
    assertTrue(relays.getSpec().getTemplate().getSpec().getHostNetwork() == null
        || !relays.getSpec().getTemplate().getSpec().getHostNetwork());
    List<String> addresses = List.of("203.0.113.10", "203.0.113.11", "203.0.113.12");
    assertEquals(addresses.size(), relays.getSpec().getReplicas());

    for (int ordinal = 0; ordinal < addresses.size(); ordinal++) {
      Service service = release.service("webcall-relay-" + ordinal);
      assertEquals("LoadBalancer", service.getSpec().getType());
      assertEquals("Local", service.getSpec().getExternalTrafficPolicy());
      assertEquals(addresses.get(ordinal), service.getSpec().getLoadBalancerIP());
      assertEquals("webcall-relay-" + ordinal, service.getSpec().getSelector().get(PodSelection.POD_NAME_LABEL));
      Set<Integer> udpPorts = service.getSpec().getPorts().stream()
          .filter(p -> p.getProtocol().equals("UDP"))
          .peek(p -> assertEquals(p.getPort(), p.getTargetPort().getIntVal(), "outside and inside port numbers differ"))
          .map(ServicePort::getPort)
          .collect(Collectors.toCollection(TreeSet::new));
      Set<Integer> expected = IntStream.rangeClosed(20000, 20099).boxed().collect(Collectors.toCollection(TreeSet::new));
      expected.add(10000);
      assertEquals(expected, udpPorts);
    }
    assertTrue(release.find(Service.class, "webcall-relay-3").isEmpty());
  }

  @Test
  void perPodServiceModeHandsEachPodItsOwnAdvertisedAddress() {
    Rendered release = ValuesScenario.PRODUCTION.rendered();
    Container relay = release.get(StatefulSet.class, "webcall-relay").getSpec().getTemplate().getSpec().getContainers().get(0);

    assertEquals("/etc/webcall/relay-addresses/$(POD_NAME)", env(relay, "WEBCALL_RELAY_ADVERTISED_ADDRESS_FILE").getValue());
    assertEquals("metadata.name", env(relay, "POD_NAME").getValueFrom().getFieldRef().getFieldPath());
    assertTrue(relay.getVolumeMounts().stream().anyMatch(m -> m.getMountPath().equals("/etc/webcall/relay-addresses")));
    assertEquals(Map.of(
            "webcall-relay-0", "203.0.113.10",
            "webcall-relay-1", "203.0.113.11",
            "webcall-relay-2", "203.0.113.12"),
        release.configMapData("webcall-relay-addresses"));
  }

  @Test
  void edgesAddressEveryRelayPodByItsStableNameUnderTheHeadlessService() {
    for (ValuesScenario scenario : ValuesScenario.values()) {
      Rendered release = scenario.rendered();
      Service headless = release.service("webcall-relay-headless");
      assertEquals("None", headless.getSpec().getClusterIP());
      assertEquals(8082, headless.getSpec().getPorts().get(0).getPort());
      var relays = release.get(io.fabric8.kubernetes.api.model.apps.StatefulSet.class, "webcall-relay");
      assertEquals("webcall-relay-headless", relays.getSpec().getServiceName(), "pod DNS names come from this Service");
      String namespace = WebcallChart.NAMESPACE;
      List<String> expected = new java.util.ArrayList<>();
      for (int i = 0; i < relays.getSpec().getReplicas(); i++) {
        expected.add("http://webcall-relay-" + i + ".webcall-relay-headless." + namespace + ".svc:8082");
      }
      assertEquals(String.join(",", expected), release.configMapData("webcall-edge").get("WEBCALL_EDGE_MEDIA_RELAY_URL"),
          scenario.name());
      Service control = release.service("webcall-relay");
      assertEquals("ClientIP", control.getSpec().getSessionAffinity(), "tools calling one name reach one relay per client");
    }
  }

  @Test
  void networkPolicyLetsMediaInFromAnywhereButTheControlApiOnlyFromEdges() {
    NetworkPolicy policy = ValuesScenario.PRODUCTION.rendered().get(NetworkPolicy.class, "webcall-relay");
    var media = policy.getSpec().getIngress().stream().filter(r -> r.getFrom() == null || r.getFrom().isEmpty()).findFirst().orElseThrow();
    List<NetworkPolicyPort> ports = media.getPorts();
    assertTrue(ports.stream().anyMatch(p -> p.getProtocol().equals("UDP") && p.getPort().getIntVal() == 10000 && p.getEndPort() == null));
    assertTrue(ports.stream().anyMatch(p -> p.getProtocol().equals("UDP") && p.getPort().getIntVal() == 20000 && p.getEndPort() == 20099));
    assertFalse(ports.stream().anyMatch(p -> p.getProtocol().equals("TCP")), "the control API must not be open to everyone");

    var control = policy.getSpec().getIngress().stream().filter(r -> r.getFrom() != null && !r.getFrom().isEmpty()).findFirst().orElseThrow();
    assertEquals(8082, control.getPorts().get(0).getPort().getIntVal());
    assertTrue(control.getFrom().stream().anyMatch(peer -> peer.getPodSelector() != null
        && "edge".equals(peer.getPodSelector().getMatchLabels().get("app.kubernetes.io/component"))));
  }

  @Test
  void customRtpRangeReachesTheRelayConfigurationAndItsServices() {
    Rendered release = WebcallChart.render(List.of(WebcallChart.PRODUCTION_VALUES),
        Map.of("relay.rtpPorts.min", 30000, "relay.rtpPorts.max", 30009, "relay.webrtcPort", 3478));
    assertEquals("30000", release.configMapData("webcall-relay").get("WEBCALL_RELAY_RTP_PORT_MIN"));
    assertEquals("30009", release.configMapData("webcall-relay").get("WEBCALL_RELAY_RTP_PORT_MAX"));
    assertEquals(11, release.service("webcall-relay-1").getSpec().getPorts().size());
    assertNull(release.service("webcall-relay-1").getSpec().getPorts().stream()
        .filter(p -> p.getPort() < 30000 && p.getPort() != 3478).findAny().orElse(null));
  }

  private static ContainerPort port(Container container, String name) {
    return container.getPorts().stream().filter(p -> p.getName().equals(name)).findFirst()
        .orElseThrow(() -> new AssertionError(container.getName() + " declares no port " + name));
  }

  private static EnvVar env(Container container, String name) {
    return container.getEnv().stream().filter(e -> e.getName().equals(name)).findFirst()
        .orElseThrow(() -> new AssertionError(container.getName() + " has no env " + name));
  }
}
