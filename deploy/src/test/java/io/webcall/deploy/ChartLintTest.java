package io.webcall.deploy;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.marcnuri.helm.LintResult;
import org.junit.jupiter.api.Test;

class ChartLintTest {

  @Test
  void chartPassesStrictLintWithoutWarningsOrErrors() {
    LintResult result = WebcallChart.lintStrict();

    assertFalse(result.isFailed(), () -> "helm lint --strict failed: " + result.getMessages());
    assertTrue(result.getMessages().stream().noneMatch(m -> m.contains("[WARNING]") || m.contains("[ERROR]")),
        () -> "helm lint --strict reported: " + result.getMessages());
  }
}
