package io.webcall.deploy;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** Which rendered pods a label selector picks, and which ports those pods serve. */
final class PodSelection {

  /** Label the StatefulSet controller adds to each pod (not part of the pod template). */
  static final String POD_NAME_LABEL = "statefulset.kubernetes.io/pod-name";

  private PodSelection() {
  }

  /**
   * Pod templates whose labels include the selector. A selector on the per-pod name label picks
   * the StatefulSet whose ordinal range contains that name.
   */
  static List<PodTemplateSpec> matching(Rendered release, Map<String, String> selector) {
    if (selector == null || selector.isEmpty()) {
      return List.of();
    }
    Map<String, String> templateLabels = new HashMap<>(selector);
    String podName = templateLabels.remove(POD_NAME_LABEL);
    if (podName != null) {
      return release.all(StatefulSet.class).stream()
          .filter(set -> ownsPod(set, podName))
          .map(set -> set.getSpec().getTemplate())
          .filter(pod -> hasLabels(pod, templateLabels))
          .toList();
    }
    return release.podTemplates().values().stream().filter(pod -> hasLabels(pod, templateLabels)).toList();
  }

  private static boolean ownsPod(StatefulSet set, String podName) {
    String prefix = set.getMetadata().getName() + "-";
    if (!podName.startsWith(prefix)) {
      return false;
    }
    String ordinal = podName.substring(prefix.length());
    return ordinal.matches("\\d+") && Integer.parseInt(ordinal) < set.getSpec().getReplicas();
  }

  private static boolean hasLabels(PodTemplateSpec pod, Map<String, String> labels) {
    Map<String, String> actual = pod.getMetadata().getLabels();
    return actual != null && labels.entrySet().stream()
        .allMatch(e -> Objects.equals(actual.get(e.getKey()), e.getValue()));
  }

  /**
   * Whether a pod serves the port: a declared container port (by name or number, same protocol),
   * or for the media relay a UDP port inside the RTP range its configuration gives it.
   */
  static boolean exposes(Rendered release, PodTemplateSpec pod, IntOrString target, String protocol) {
    String wanted = protocol == null ? "TCP" : protocol;
    for (Container container : pod.getSpec().getContainers()) {
      for (ContainerPort port : container.getPorts() == null ? List.<ContainerPort>of() : container.getPorts()) {
        String declared = port.getProtocol() == null ? "TCP" : port.getProtocol();
        boolean sameTarget = target.getStrVal() != null
            ? target.getStrVal().equals(port.getName())
            : target.getIntVal().equals(port.getContainerPort());
        if (sameTarget && declared.equals(wanted)) {
          return true;
        }
      }
      if (target.getIntVal() != null && wanted.equals("UDP") && inRtpRange(release, container, target.getIntVal())) {
        return true;
      }
    }
    return false;
  }

  private static boolean inRtpRange(Rendered release, Container container, int port) {
    for (EnvFromSource source : container.getEnvFrom() == null ? List.<EnvFromSource>of() : container.getEnvFrom()) {
      if (source.getConfigMapRef() == null) {
        continue;
      }
      Map<String, String> config = release.configMapData(source.getConfigMapRef().getName());
      String min = config.get("WEBCALL_RELAY_RTP_PORT_MIN");
      String max = config.get("WEBCALL_RELAY_RTP_PORT_MAX");
      if (min != null && max != null && port >= Integer.parseInt(min) && port <= Integer.parseInt(max)) {
        return true;
      }
    }
    return false;
  }
}
