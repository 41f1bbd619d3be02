package io.webcall.deploy;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Output of one render: every manifest as a typed Kubernetes object. Parsing fails on a type
 * error, on a kind without a typed model and on any field the model does not know.
 */
final class Rendered {

  /** One manifest with the template it came from. */
  record Manifest(String source, HasMetadata resource) {
  }

  private final List<Manifest> manifests;

  private Rendered(List<Manifest> manifests) {
    this.manifests = List.copyOf(manifests);
  }

  static Rendered parse(String helmOutput) {
    List<Manifest> parsed = new ArrayList<>();
    for (String document : helmOutput.split("(?m)^---\\s*$")) {
      String source = document.lines()
          .filter(l -> l.startsWith("# Source: "))
          .map(l -> l.substring("# Source: ".length()))
          .findFirst().orElse("(unknown template)");
      boolean empty = document.lines().map(String::trim).allMatch(l -> l.isEmpty() || l.startsWith("#"));
      if (empty) {
        continue;
      }
      Object object;
      try {
        object = Serialization.unmarshal(document);
      } catch (RuntimeException e) {
        throw new AssertionError(source + " is not a valid Kubernetes object: " + e.getMessage(), e);
      }
      if (!(object instanceof HasMetadata resource)) {
        throw new AssertionError(source + " did not parse as a Kubernetes resource: " + object);
      }
      if (resource instanceof GenericKubernetesResource generic) {
        throw new AssertionError(source + ": no typed model for " + generic.getApiVersion() + " "
            + generic.getKind() + " (unknown apiVersion or kind)");
      }
      List<String> unknown = UnknownFields.find(resource);
      if (!unknown.isEmpty()) {
        throw new AssertionError(source + " (" + resource.getKind() + " "
            + resource.getMetadata().getName() + ") has fields its schema does not know: " + unknown);
      }
      parsed.add(new Manifest(source, resource));
    }
    if (parsed.isEmpty()) {
      throw new AssertionError("the chart rendered no manifest");
    }
    return new Rendered(parsed);
  }

  List<Manifest> manifests() {
    return manifests;
  }

  List<HasMetadata> resources() {
    return manifests.stream().map(Manifest::resource).toList();
  }

  <T extends HasMetadata> List<T> all(Class<T> type) {
    return resources().stream().filter(type::isInstance).map(type::cast).toList();
  }

  <T extends HasMetadata> Optional<T> find(Class<T> type, String name) {
    return all(type).stream().filter(r -> r.getMetadata().getName().equals(name)).findFirst();
  }

  <T extends HasMetadata> T get(Class<T> type, String name) {
    return find(type, name).orElseThrow(() -> new AssertionError(
        "no " + type.getSimpleName() + " named " + name + " rendered; have " + names()));
  }

  List<String> names() {
    return resources().stream().map(r -> r.getKind() + "/" + r.getMetadata().getName()).toList();
  }

  /** Pod templates of every workload (Deployments, StatefulSets, DaemonSets, Jobs), by "Kind/name". */
  Map<String, PodTemplateSpec> podTemplates() {
    Map<String, PodTemplateSpec> templates = new LinkedHashMap<>();
    for (HasMetadata r : resources()) {
      PodTemplateSpec template = null;
      if (r instanceof Deployment d) {
        template = d.getSpec().getTemplate();
      } else if (r instanceof StatefulSet s) {
        template = s.getSpec().getTemplate();
      } else if (r instanceof DaemonSet d) {
        template = d.getSpec().getTemplate();
      } else if (r instanceof Job j) {
        template = j.getSpec().getTemplate();
      }
      if (template != null) {
        templates.put(r.getKind() + "/" + r.getMetadata().getName(), template);
      }
    }
    return templates;
  }

  /** Decoded data of a rendered Secret (data and stringData). */
  Map<String, String> secretData(String name) {
    Secret secret = get(Secret.class, name);
    Map<String, String> data = new LinkedHashMap<>();
    if (secret.getData() != null) {
      secret.getData().forEach((k, v) ->
          data.put(k, new String(Base64.getDecoder().decode(v), StandardCharsets.UTF_8)));
    }
    if (secret.getStringData() != null) {
      data.putAll(secret.getStringData());
    }
    return data;
  }

  Map<String, String> configMapData(String name) {
    ConfigMap map = get(ConfigMap.class, name);
    return map.getData() == null ? Map.of() : map.getData();
  }

  Service service(String name) {
    return get(Service.class, name);
  }
}
