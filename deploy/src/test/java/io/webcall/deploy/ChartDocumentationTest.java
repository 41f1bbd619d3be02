package io.webcall.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/** The chart README documents every value, and the schema describes every value. */
class ChartDocumentationTest {

  /** Maps documented as a whole (free-form content such as resources or labels). */
  private static final Set<String> FREE_FORM = Set.of("resources", "annotations", "podAnnotations", "nodeSelector",
      "affinity", "commonLabels", "config", "extraConfig", "labels", "podSecurityContext", "containerSecurityContext",
      "ingressControllerNamespaceSelector", "monitoringNamespaceSelector");

  @Test
  void readmeValuesTableListsEveryValue() throws IOException {
    String readme = Files.readString(WebcallChart.DIR.resolve("README.md"));
    List<String> missing = new ArrayList<>();
    for (String key : leafKeys()) {
      if (!readme.contains("| `" + key + "` |")) {
        missing.add(key);
      }
    }
    assertTrue(missing.isEmpty(), "values missing from the README values table: " + missing);
  }

  @Test
  void schemaDescribesEveryTopLevelValueAndRejectsOthers() throws IOException {
    Map<String, Object> schema = new Yaml().load(Files.readString(WebcallChart.DIR.resolve("values.schema.json")));
    Map<String, Object> values = new Yaml().load(Files.readString(WebcallChart.DIR.resolve("values.yaml")));
    assertEquals(Boolean.FALSE, schema.get("additionalProperties"), "unknown top-level values must be rejected");
    @SuppressWarnings("unchecked")
    Map<String, Object> properties = (Map<String, Object>) schema.get("properties");
    for (String key : values.keySet()) {
      assertTrue(properties.containsKey(key), "values.schema.json does not describe " + key);
    }
  }

  private static List<String> leafKeys() throws IOException {
    Map<String, Object> values = new Yaml().load(Files.readString(WebcallChart.DIR.resolve("values.yaml")));
    List<String> keys = new ArrayList<>();
    collect(values, "", keys);
    return keys;
  }

  @SuppressWarnings("unchecked")
  private static void collect(Object node, String path, List<String> keys) {
    String last = path.substring(path.lastIndexOf('.') + 1);
    if (node instanceof Map<?, ?> map && !map.isEmpty() && !FREE_FORM.contains(last)) {
      ((Map<String, Object>) map).forEach((k, v) -> collect(v, path.isEmpty() ? k : path + "." + k, keys));
    } else {
      keys.add(path);
    }
  }
}
