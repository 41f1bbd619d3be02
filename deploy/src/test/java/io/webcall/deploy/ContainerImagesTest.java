package io.webcall.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Dockerfiles, the image build script and the chart agree on names, tags, users and ports. */
class ContainerImagesTest {

  private static final Path DOCKER = Path.of("docker").toAbsolutePath();
  private static final Path REPOSITORY = Path.of("").toAbsolutePath().getParent();
  private static final Map<String, String> SERVICE_BY_WORKLOAD = Map.of(
      "Deployment/webcall-edge", "signaling-service",
      "Deployment/webcall-account", "account-service",
      "StatefulSet/webcall-relay", "media-relay-service");

  @Test
  void buildScriptProducesExactlyTheImagesTheChartDeploysByDefault() throws Exception {
    Result build = run(List.of("bash", DOCKER.resolve("build-images.sh").toString(), "--dry-run", "--skip-package"), Map.of());
    assertEquals(0, build.exit(), build.output());
    Set<String> built = new TreeSet<>();
    Matcher tag = Pattern.compile(" -t (\\S+)").matcher(build.output());
    while (tag.find()) {
      built.add(tag.group(1));
    }

    Set<String> deployed = SERVICE_BY_WORKLOAD.keySet().stream()
        .map(w -> ValuesScenario.DEFAULTS.rendered().podTemplates().get(w).getSpec().getContainers().get(0).getImage())
        .collect(Collectors.toCollection(TreeSet::new));
    assertEquals(deployed, built);
  }

  @Test
  void chartAppVersionIsTheProjectVersion() throws IOException {
    String projectVersion = System.getProperty("webcall.project.version");
    assertNotNull(projectVersion, "run through Maven: the build passes the project version");
    String chart = Files.readString(WebcallChart.DIR.resolve("Chart.yaml"));
    Matcher appVersion = Pattern.compile("(?m)^appVersion:\\s*\"?([^\"\\s]+)\"?\\s*$").matcher(chart);
    assertTrue(appVersion.find(), "Chart.yaml has no appVersion");
    assertEquals(projectVersion, appVersion.group(1), "image tags default to appVersion, images are built from this version");
  }

  @Test
  void eachImageRunsItsQuarkusFastJarAsTheNonRootUserTheChartExpectsOnTheChartsPorts() throws IOException {
    for (Map.Entry<String, String> entry : SERVICE_BY_WORKLOAD.entrySet()) {
      String service = entry.getValue();
      Path dockerfile = DOCKER.resolve(service).resolve("Dockerfile");
      assertTrue(Files.isRegularFile(dockerfile), "no Dockerfile for " + service);
      assertTrue(Files.isRegularFile(REPOSITORY.resolve(service).resolve("pom.xml")), service + " is not a module of this repository");
      String text = Files.readString(dockerfile);
      for (String part : List.of("lib/", "*.jar", "app/", "quarkus/")) {
        assertTrue(text.contains("COPY --chown=185 " + service + "/target/quarkus-app/" + part),
            () -> service + " image does not copy quarkus-app/" + part);
      }
      assertTrue(text.contains("ENTRYPOINT [ \"/deployments/entrypoint.sh\" ]"), service);

      PodTemplateSpec pod = ValuesScenario.DEFAULTS.rendered().podTemplates().get(entry.getKey());
      Matcher user = Pattern.compile("(?m)^USER (\\d+)$").matcher(text);
      assertTrue(user.find(), service + " image has no numeric USER");
      assertEquals(pod.getSpec().getSecurityContext().getRunAsUser(), Long.valueOf(user.group(1)),
          service + " image user differs from the chart's runAsUser (file ownership of /deployments)");

      Matcher expose = Pattern.compile("(?m)^EXPOSE (.+)$").matcher(text);
      assertTrue(expose.find(), service + " has no EXPOSE");
      Set<String> exposed = Set.of(expose.group(1).trim().split("\\s+"));
      for (ContainerPort port : pod.getSpec().getContainers().get(0).getPorts()) {
        String declared = port.getContainerPort() + "/" + port.getProtocol().toLowerCase();
        assertTrue(exposed.contains(declared), () -> service + " image does not EXPOSE " + declared + " (chart port " + port.getName() + ")");
      }
    }
  }

  @Test
  void entrypointTurnsFileVariablesIntoConfiguration(@TempDir Path dir) throws Exception {
    Path address = Files.writeString(dir.resolve("webcall-relay-0"), "203.0.113.7\n");
    Result started = run(List.of("sh", DOCKER.resolve("entrypoint.sh").toString()), Map.of(
        "JAVA_RUN_SCRIPT", "/usr/bin/env",
        "WEBCALL_RELAY_ADVERTISED_ADDRESS_FILE", address.toString(),
        "QUARKUS_HTTP_PORT_FILE", address.toString(),
        "QUARKUS_HTTP_PORT", "8082"));

    assertEquals(0, started.exit(), started.output());
    List<String> env = started.output().lines().toList();
    assertTrue(env.contains("WEBCALL_RELAY_ADVERTISED_ADDRESS=203.0.113.7"), started.output());
    assertTrue(env.contains("QUARKUS_HTTP_PORT=8082"), "a value set directly wins over its _FILE");
  }

  @Test
  void entrypointRefusesToStartWhenAFileVariableNamesNoReadableFile(@TempDir Path dir) throws Exception {
    Result started = run(List.of("sh", DOCKER.resolve("entrypoint.sh").toString()), Map.of(
        "JAVA_RUN_SCRIPT", "/usr/bin/env",
        "WEBCALL_RELAY_ADVERTISED_ADDRESS_FILE", dir.resolve("missing").toString()));

    assertEquals(64, started.exit());
    assertTrue(started.output().contains("WEBCALL_RELAY_ADVERTISED_ADDRESS_FILE names " + dir.resolve("missing")),
        started.output());
  }

  private record Result(int exit, String output) {
  }

  private static Result run(List<String> command, Map<String, String> env) throws Exception {
    ProcessBuilder builder = new ProcessBuilder(new ArrayList<>(command)).redirectErrorStream(true);
    builder.environment().keySet().removeIf(k -> k.startsWith("WEBCALL_") || k.startsWith("QUARKUS_")
        || k.startsWith("KAFKA_") || k.equals("REGISTRY") || k.equals("TAG") || k.equals("CONTAINER_ENGINE"));
    builder.environment().putAll(env);
    Process process = builder.start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(process.waitFor(30, TimeUnit.SECONDS), "command did not finish: " + command);
    return new Result(process.exitValue(), output);
  }
}
