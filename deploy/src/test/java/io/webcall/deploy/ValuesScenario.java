package io.webcall.deploy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** The installations the chart is checked with: defaults, production-like, evaluation. */
enum ValuesScenario {

  /** values.yaml alone: external PostgreSQL and Kafka at their conventional names. */
  DEFAULTS(List.of(), Set.of()),

  /** External PostgreSQL and Kafka (SASL_SSL), operator-managed Secrets, TLS, per-pod relay addresses. */
  PRODUCTION(List.of(WebcallChart.PRODUCTION_VALUES),
      Set.of("webcall-platform", "webcall-db", "webcall-kafka", "webcall-sip-tls", "webcall-web-tls")),

  /** Everything in the cluster: PostgreSQL, KRaft Kafka, coturn. */
  EVALUATION(List.of(WebcallChart.EVALUATION_VALUES), Set.of());

  private static final Map<ValuesScenario, Rendered> CACHE = new ConcurrentHashMap<>();

  private final List<Path> valuesFiles;
  private final Set<String> operatorSecrets;

  ValuesScenario(List<Path> valuesFiles, Set<String> operatorSecrets) {
    this.valuesFiles = valuesFiles;
    this.operatorSecrets = operatorSecrets;
  }

  List<Path> valuesFiles() {
    return valuesFiles;
  }

  /** Secrets the operator creates before installing (named in the values, not rendered). */
  Set<String> operatorSecrets() {
    return operatorSecrets;
  }

  /** The rendered release (rendered once per test JVM). */
  Rendered rendered() {
    return CACHE.computeIfAbsent(this, s -> WebcallChart.render(s.valuesFiles, Map.of()));
  }
}
