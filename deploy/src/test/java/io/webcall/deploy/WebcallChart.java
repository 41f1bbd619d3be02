package io.webcall.deploy;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import com.marcnuri.helm.TemplateCommand;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The chart in helm/webcall, rendered and linted by the real Helm engine (helm-java). */
final class WebcallChart {

  static final Path DIR = Path.of("helm", "webcall").toAbsolutePath();
  static final String RELEASE = "webcall";
  static final String NAMESPACE = "calls";
  static final String KUBE_VERSION = "1.30.0";

  /** Values files shipped with the chart as examples (and checked by these tests). */
  static final Path PRODUCTION_VALUES = DIR.resolve("ci").resolve("production-values.yaml");
  static final Path EVALUATION_VALUES = DIR.resolve("ci").resolve("evaluation-values.yaml");

  private WebcallChart() {
  }

  static LintResult lintStrict() {
    ClusterApiStandIn.start();
    return new Helm(DIR).lint().strict().call();
  }

  /** Renders the chart like {@code helm template} (first install) with the given values. */
  static Rendered render(List<Path> valuesFiles, Map<String, ?> sets) {
    return Rendered.parse(template(valuesFiles, sets));
  }

  static Rendered render(Path valuesFile) {
    return render(List.of(valuesFile), Map.of());
  }

  static Rendered renderDefaults() {
    return render(List.of(), Map.of());
  }

  static Rendered renderWith(Map<String, ?> sets) {
    return render(List.of(), sets);
  }

  static String template(List<Path> valuesFiles, Map<String, ?> sets) {
    ClusterApiStandIn.start();
    TemplateCommand command = new Helm(DIR).template()
        .withName(RELEASE)
        .withNamespace(NAMESPACE)
        .withKubeVersion(KUBE_VERSION);
    for (Path file : valuesFiles) {
      if (!Files.isRegularFile(file)) {
        throw new IllegalArgumentException("values file not found: " + file);
      }
      command = command.withValuesFile(file);
    }
    for (Map.Entry<String, ?> set : new LinkedHashMap<>(sets).entrySet()) {
      command = command.set(set.getKey(), set.getValue());
    }
    return command.call();
  }

  /**
   * Renders with values that must be rejected and returns Helm's error message; fails when the
   * chart renders anyway.
   */
  static String renderFailure(List<Path> valuesFiles, Map<String, ?> sets) {
    try {
      String out = template(valuesFiles, sets);
      throw new AssertionError("expected rendering to fail for " + sets + " but it rendered "
          + out.length() + " characters");
    } catch (IllegalStateException e) {
      return e.getMessage();
    }
  }
}
