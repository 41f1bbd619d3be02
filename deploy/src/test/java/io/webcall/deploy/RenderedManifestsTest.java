package io.webcall.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.networking.v1.HTTPIngressPath;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Facts every installation must have, checked on each rendered values scenario. */
class RenderedManifestsTest {

  private static final Pattern SECRET_LIKE_KEY =
      Pattern.compile("(?i).*((^|[-_.])(password|passwd|secret|token|jaas)([-_.]|$)|api[-_]?key|private[-_]?key).*");

  @ParameterizedTest
  @EnumSource(ValuesScenario.class)
  void rendersThePlatformAsTypedObjectsWithoutUnknownFields(ValuesScenario scenario) {
    Rendered release = scenario.rendered();

    release.get(Deployment.class, "webcall-edge");
    release.get(Deployment.class, "webcall-account");
    release.get(StatefulSet.class, "webcall-relay");
    for (Rendered.Manifest manifest : release.manifests()) {
      assertTrue(UnknownFields.find(manifest.resource()).isEmpty(), manifest.source());
      String namespace = manifest.resource().getMetadata().getNamespace();
      assertTrue(namespace == null || namespace.equals(WebcallChart.NAMESPACE), manifest.source());
      assertEquals("webcall", manifest.resource().getMetadata().getLabels().get("app.kubernetes.io/part-of"),
          () -> manifest.source() + " lacks the part-of label");
    }
  }

  @ParameterizedTest
  @EnumSource(ValuesScenario.class)
  void everyContainerHasStartupLivenessAndReadinessProbes(ValuesScenario scenario) {
    forEachContainer(scenario, (workload, pod, container) -> {
      if (nonNull(pod.getInitContainers()).contains(container) || workload.startsWith("Job/")) {
        return; // run-to-completion containers: Kubernetes follows their exit status, not probes
      }
      for (Map.Entry<String, Probe> probe : Map.of(
          "startupProbe", nonNull(container.getStartupProbe()),
          "livenessProbe", nonNull(container.getLivenessProbe()),
          "readinessProbe", nonNull(container.getReadinessProbe())).entrySet()) {
        Probe p = probe.getValue();
        assertTrue(p.getHttpGet() != null || p.getTcpSocket() != null || p.getExec() != null || p.getGrpc() != null,
            () -> workload + "/" + container.getName() + " has no " + probe.getKey());
      }
    });
  }

  @ParameterizedTest
  @EnumSource(ValuesScenario.class)
  void platformServicesProbeTheQuarkusHealthEndpoints(ValuesScenario scenario) {
    for (String workload : List.of("Deployment/webcall-edge", "Deployment/webcall-account", "StatefulSet/webcall-relay")) {
      Container container = scenario.rendered().podTemplates().get(workload).getSpec().getContainers().get(0);
      assertEquals("/q/health/started", container.getStartupProbe().getHttpGet().getPath(), workload);
      assertEquals("/q/health/live", container.getLivenessProbe().getHttpGet().getPath(), workload);
      assertEquals("/q/health/ready", container.getReadinessProbe().getHttpGet().getPath(), workload);
      String port = container.getReadinessProbe().getHttpGet().getPort().getStrVal();
      assertTrue(container.getPorts().stream().anyMatch(p -> p.getName().equals(port)),
          () -> workload + " probes port " + port + " that its container does not declare");
    }
  }

  @ParameterizedTest
  @EnumSource(ValuesScenario.class)
  void noContainerRunsAsRootOrCanWriteItsRootFilesystem(ValuesScenario scenario) {
    forEachContainer(scenario, (workload, pod, container) -> {
      PodSecurityContext podContext = pod.getSecurityContext();
      SecurityContext context = container.getSecurityContext();
      String where = workload + "/" + container.getName();
      assertNotNull(context, where + " has no securityContext");
      Boolean nonRoot = context.getRunAsNonRoot() != null ? context.getRunAsNonRoot()
          : podContext == null ? null : podContext.getRunAsNonRoot();
      Long uid = context.getRunAsUser() != null ? context.getRunAsUser()
          : podContext == null ? null : podContext.getRunAsUser();
      assertEquals(Boolean.TRUE, nonRoot, where + " does not set runAsNonRoot");
      assertNotNull(uid, where + " has no numeric runAsUser (runAsNonRoot cannot be verified for named users)");
      assertTrue(uid > 0, where + " runs as uid 0");
      assertEquals(Boolean.TRUE, context.getReadOnlyRootFilesystem(), where + " has a writable root filesystem");
      assertEquals(Boolean.FALSE, context.getAllowPrivilegeEscalation(), where + " allows privilege escalation");
      assertNotEquals(Boolean.TRUE, context.getPrivileged(), where + " is privileged");
      assertTrue(context.getCapabilities() != null && context.getCapabilities().getDrop().contains("ALL"),
          where + " keeps Linux capabilities");
      assertTrue(context.getCapabilities().getAdd() == null || context.getCapabilities().getAdd().isEmpty(),
          where + " adds capabilities");
    });
  }

  @ParameterizedTest
  @EnumSource(ValuesScenario.class)
  void podsRunUnderTheReleaseServiceAccountWithoutAnApiToken(ValuesScenario scenario) {
    Rendered release = scenario.rendered();
    ServiceAccount account = release.get(ServiceAccount.class, "webcall");
    assertEquals(Boolean.FALSE, account.getAutomountServiceAccountToken());
    for (Map.Entry<String, PodTemplateSpec> workload : release.podTemplates().entrySet()) {
      PodSpec pod = workload.getValue().getSpec();
      assertEquals("webcall", pod.getServiceAccountName(), workload.getKey());
      assertEquals(Boolean.FALSE, pod.getAutomountServiceAccountToken(), workload.getKey() + " mounts an API token");
    }
  }

  @ParameterizedTest
  @EnumSource(ValuesScenario.class)
  void everyContainerRequestsCpuAndMemoryAndHasAMemoryLimit(ValuesScenario scenario) {
    forEachContainer(scenario, (workload, pod, container) -> {
      var resources = container.getResources();
      String where = workload + "/" + container.getName();
      assertNotNull(resources, where);
      assertTrue(resources.getRequests() != null && resources.getRequests().containsKey("cpu")
          && resources.getRequests().containsKey("memory"), where + " lacks cpu/memory requests");
      assertTrue(resources.getLimits() != null && resources.getLimits().containsKey("memory"),
          where + " lacks a memory limit");
    });
  }

  @ParameterizedTest
  @EnumSource(ValuesScenario.class)
  void configMapsHoldNoSecrets(ValuesScenario scenario) {
    Rendered release = scenario.rendered();
    List<String> secretValues = release.all(Secret.class).stream()
        .flatMap(s -> release.secretData(s.getMetadata().getName()).values().stream())
        .filter(v -> v.length() >= 8)
        .toList();
    for (ConfigMap map : release.all(ConfigMap.class)) {
      for (Map.Entry<String, String> entry : map.getData().entrySet()) {
        String where = "ConfigMap " + map.getMetadata().getName() + " key " + entry.getKey();
        assertFalse(SECRET_LIKE_KEY.matcher(entry.getKey()).matches(), where + " looks like a secret");
        for (String line : entry.getValue().split("\n")) {
          String name = line.contains("=") ? line.substring(0, line.indexOf('=')) : "";
          assertFalse(!name.isBlank() && SECRET_LIKE_KEY.matcher(name).matches() && !line.endsWith("="),
              where + " sets a secret-like setting: " + line);
        }
        for (String secret : secretValues) {
          assertFalse(entry.getValue().contains(secret), where + " contains the value of a Secret");
        }
      }
    }
  }

  @ParameterizedTest
  @EnumSource(ValuesScenario.class)
  void secretLikeEnvironmentComesFromSecretsNeverFromPlainValues(ValuesScenario scenario) {
    forEachContainer(scenario, (workload, pod, container) -> {
      for (EnvVar env : nonNull(container.getEnv())) {
        if (SECRET_LIKE_KEY.matcher(env.getName()).matches() && env.getValue() != null) {
          assertTrue(env.getValue().matches("[^$]*(\\$\\([A-Z_]+\\)[^$]*)+"),
              () -> workload + " sets " + env.getName() + " to a literal; it must come from a Secret");
        }
      }
    });
  }

  @ParameterizedTest
  @EnumSource(ValuesScenario.class)
  void everyReferencedSecretAndConfigMapExists(ValuesScenario scenario) {
    Rendered release = scenario.rendered();
    forEachContainer(scenario, (workload, pod, container) -> {
      for (EnvVar env : nonNull(container.getEnv())) {
        if (env.getValueFrom() == null) {
          continue;
        }
        var secretRef = env.getValueFrom().getSecretKeyRef();
        if (secretRef != null) {
          assertSecretKey(scenario, release, secretRef.getName(), secretRef.getKey(), workload + " env " + env.getName());
        }
        var mapRef = env.getValueFrom().getConfigMapKeyRef();
        if (mapRef != null) {
          assertTrue(release.configMapData(mapRef.getName()).containsKey(mapRef.getKey()), workload + " env " + env.getName());
        }
      }
      for (EnvFromSource source : nonNull(container.getEnvFrom())) {
        if (source.getConfigMapRef() != null) {
          release.get(ConfigMap.class, source.getConfigMapRef().getName());
        }
        if (source.getSecretRef() != null) {
          assertSecretKey(scenario, release, source.getSecretRef().getName(), null, workload + " envFrom");
        }
      }
    });
    for (Map.Entry<String, PodTemplateSpec> workload : release.podTemplates().entrySet()) {
      for (Volume volume : nonNull(workload.getValue().getSpec().getVolumes())) {
        if (volume.getSecret() != null) {
          assertSecretKey(scenario, release, volume.getSecret().getSecretName(), null, workload.getKey() + " volume");
        }
        if (volume.getConfigMap() != null) {
          release.get(ConfigMap.class, volume.getConfigMap().getName());
        }
      }
    }
  }

  @ParameterizedTest
  @EnumSource(ValuesScenario.class)
  void servicesSelectRenderedPodsAndTargetTheirPorts(ValuesScenario scenario) {
    Rendered release = scenario.rendered();
    for (Service service : release.all(Service.class)) {
      Map<String, String> selector = service.getSpec().getSelector();
      String name = service.getMetadata().getName();
      assertTrue(selector != null && !selector.isEmpty(), "Service " + name + " selects nothing");
      List<PodTemplateSpec> pods = PodSelection.matching(release, selector);
      assertFalse(pods.isEmpty(), () -> "Service " + name + " selects " + selector + " but no rendered pod has these labels");
      for (ServicePort port : service.getSpec().getPorts()) {
        for (PodTemplateSpec pod : pods) {
          assertTrue(PodSelection.exposes(release, pod, port.getTargetPort(), port.getProtocol()),
              () -> "Service " + name + " port " + port.getName() + " targets " + port.getTargetPort()
                  + "/" + port.getProtocol() + ", which the selected pods do not declare");
        }
      }
    }
  }

  @ParameterizedTest
  @EnumSource(ValuesScenario.class)
  void autoscalersTargetRenderedDeploymentsThatLeaveReplicasToThem(ValuesScenario scenario) {
    Rendered release = scenario.rendered();
    for (HorizontalPodAutoscaler hpa : release.all(HorizontalPodAutoscaler.class)) {
      var target = hpa.getSpec().getScaleTargetRef();
      assertEquals("apps/v1", target.getApiVersion());
      assertEquals("Deployment", target.getKind());
      Deployment deployment = release.get(Deployment.class, target.getName());
      assertNull(deployment.getSpec().getReplicas(),
          "Deployment " + target.getName() + " fixes replicas although an autoscaler owns them");
      assertTrue(hpa.getSpec().getMinReplicas() <= hpa.getSpec().getMaxReplicas());
      assertFalse(hpa.getSpec().getMetrics().isEmpty());
    }
    boolean autoscaled = scenario != ValuesScenario.EVALUATION;
    assertEquals(autoscaled, release.find(HorizontalPodAutoscaler.class, "webcall-edge").isPresent());
    assertEquals(autoscaled, release.find(HorizontalPodAutoscaler.class, "webcall-account").isPresent());
  }

  @ParameterizedTest
  @EnumSource(ValuesScenario.class)
  void disruptionBudgetsAndNetworkPoliciesSelectRenderedPods(ValuesScenario scenario) {
    Rendered release = scenario.rendered();
    for (PodDisruptionBudget pdb : release.all(PodDisruptionBudget.class)) {
      assertSelectsPods(release, pdb.getSpec().getSelector(), "PodDisruptionBudget " + pdb.getMetadata().getName());
    }
    List<NetworkPolicy> policies = release.all(NetworkPolicy.class);
    assertFalse(policies.isEmpty(), "no NetworkPolicy rendered");
    for (NetworkPolicy policy : policies) {
      String name = "NetworkPolicy " + policy.getMetadata().getName();
      assertSelectsPods(release, policy.getSpec().getPodSelector(), name);
      policy.getSpec().getIngress().stream()
          .flatMap(rule -> nonNull(rule.getFrom()).stream())
          .map(NetworkPolicyPeer::getPodSelector)
          .filter(Objects::nonNull)
          .forEach(selector -> assertSelectsPods(release, selector, name + " source"));
    }
    Set<String> protectedWorkloads = policies.stream()
        .flatMap(p -> PodSelection.matching(release, p.getSpec().getPodSelector().getMatchLabels()).stream())
        .map(pod -> pod.getMetadata().getLabels().get("app.kubernetes.io/component"))
        .collect(Collectors.toSet());
    Set<String> components = release.podTemplates().entrySet().stream()
        .filter(workload -> !workload.getKey().startsWith("Job/")) // Jobs only connect out
        .map(Map.Entry::getValue)
        .map(pod -> pod.getMetadata().getLabels().get("app.kubernetes.io/component"))
        .collect(Collectors.toSet());
    assertEquals(components, protectedWorkloads, "every component has a NetworkPolicy");
  }

  @ParameterizedTest
  @EnumSource(ValuesScenario.class)
  void ingressRoutesToRenderedServicePorts(ValuesScenario scenario) {
    Rendered release = scenario.rendered();
    Ingress ingress = release.get(Ingress.class, "webcall");
    List<HTTPIngressPath> paths = ingress.getSpec().getRules().get(0).getHttp().getPaths();
    Map<String, String> serviceByPath = new java.util.HashMap<>();
    for (HTTPIngressPath path : paths) {
      var backend = path.getBackend().getService();
      Service service = release.service(backend.getName());
      assertTrue(service.getSpec().getPorts().stream().anyMatch(p -> p.getName().equals(backend.getPort().getName())),
          "Ingress path " + path.getPath() + " names a port the Service lacks");
      serviceByPath.put(path.getPath(), backend.getName());
    }
    assertEquals("webcall-account", serviceByPath.get("/v1"));
    assertEquals("webcall-account", serviceByPath.get("/.well-known/jwks.json"));
    assertEquals("webcall-edge", serviceByPath.get("/sip"));
    assertEquals("webcall-edge", serviceByPath.get("/"));
  }

  private static void assertSelectsPods(Rendered release, LabelSelector selector, String owner) {
    assertNotNull(selector, owner + " has no selector");
    assertTrue(selector.getMatchExpressions() == null || selector.getMatchExpressions().isEmpty(), owner);
    assertFalse(PodSelection.matching(release, selector.getMatchLabels()).isEmpty(),
        () -> owner + " selects " + selector.getMatchLabels() + " but no rendered pod has these labels");
  }

  private static void assertSecretKey(ValuesScenario scenario, Rendered release, String name, String key, String where) {
    if (scenario.operatorSecrets().contains(name)) {
      return;
    }
    if (release.find(Secret.class, name).isEmpty()) {
      fail(where + " refers to Secret " + name + ", which is neither rendered nor an operator-managed Secret");
    }
    if (key != null) {
      assertTrue(release.secretData(name).containsKey(key), where + " refers to missing key " + key + " of Secret " + name);
    }
  }

  /** Visits every container (init containers too) of every rendered workload. */
  static void forEachContainer(ValuesScenario scenario, ContainerVisitor visitor) {
    Map<String, PodTemplateSpec> templates = scenario.rendered().podTemplates();
    assertFalse(templates.isEmpty());
    for (Map.Entry<String, PodTemplateSpec> entry : templates.entrySet()) {
      PodSpec spec = entry.getValue().getSpec();
      List<Container> containers = new ArrayList<>(spec.getContainers());
      containers.addAll(nonNull(spec.getInitContainers()));
      for (Container container : containers) {
        visitor.visit(entry.getKey(), spec, container);
      }
    }
  }

  @FunctionalInterface
  interface ContainerVisitor {
    void visit(String workload, PodSpec pod, Container container);
  }

  private static <T> List<T> nonNull(List<T> list) {
    return list == null ? List.of() : list;
  }

  private static Probe nonNull(Probe probe) {
    return probe == null ? new Probe() : probe;
  }

  static Stream<ContainerPort> ports(PodTemplateSpec pod) {
    return pod.getSpec().getContainers().stream().flatMap(c -> nonNull(c.getPorts()).stream());
  }
}
