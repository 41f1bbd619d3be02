package io.webcall.deploy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * The part of the Kubernetes API that Helm's {@code lookup} function reads: API discovery and
 * {@code GET} of Secrets. Helm renders templates against a cluster; no cluster exists during the
 * build, so this stand-in answers on a free loopback port and serves the Secrets a test stores,
 * which lets tests prove that generated secrets survive upgrades.
 *
 * <p>The Helm engine finds it through the kubeconfig named by the {@code KUBECONFIG} environment
 * variable, which the build sets for the test JVM.
 */
final class ClusterApiStandIn {

  private static ClusterApiStandIn instance;

  private final HttpServer server;
  private final Map<String, Map<String, String>> secrets = new ConcurrentHashMap<>();

  private ClusterApiStandIn() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", this::handle);
    server.start();
  }

  /** Starts the stand-in once per test JVM and writes the kubeconfig the Helm engine reads. */
  static synchronized ClusterApiStandIn start() {
    if (instance != null) {
      return instance;
    }
    String kubeconfig = System.getenv("KUBECONFIG");
    if (kubeconfig == null || kubeconfig.isBlank()) {
      throw new IllegalStateException(
          "KUBECONFIG is not set: run the chart tests through Maven (deploy/pom.xml points it at "
              + "target/helm-test/kubeconfig), otherwise Helm's lookup would talk to a real cluster");
    }
    try {
      ClusterApiStandIn api = new ClusterApiStandIn();
      Path file = Path.of(kubeconfig);
      Files.createDirectories(file.getParent());
      Files.writeString(file, api.kubeconfig());
      Runtime.getRuntime().addShutdownHook(new Thread(() -> api.server.stop(0)));
      instance = api;
      return api;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Stores a Secret that later renders find with lookup. */
  void putSecret(String namespace, String name, Map<String, String> data) {
    secrets.put(namespace + "/" + name, Map.copyOf(data));
  }

  void removeSecret(String namespace, String name) {
    secrets.remove(namespace + "/" + name);
  }

  private String kubeconfig() {
    String url = "http://127.0.0.1:" + server.getAddress().getPort();
    return """
        apiVersion: v1
        kind: Config
        clusters:
          - name: stand-in
            cluster:
              server: %s
        users:
          - name: stand-in
            user:
              token: stand-in
        contexts:
          - name: stand-in
            context:
              cluster: stand-in
              user: stand-in
              namespace: default
        current-context: stand-in
        """.formatted(url);
  }

  private void handle(HttpExchange exchange) throws IOException {
    String path = exchange.getRequestURI().getPath();
    try (exchange) {
      if (!"GET".equals(exchange.getRequestMethod())) {
        send(exchange, 405, status(405, "MethodNotAllowed", "read-only stand-in"));
      } else if (path.equals("/api")) {
        send(exchange, 200, "{\"kind\":\"APIVersions\",\"versions\":[\"v1\"],"
            + "\"serverAddressByClientCIDRs\":[{\"clientCIDR\":\"0.0.0.0/0\",\"serverAddress\":\"127.0.0.1\"}]}");
      } else if (path.equals("/apis")) {
        send(exchange, 200, "{\"kind\":\"APIGroupList\",\"apiVersion\":\"v1\",\"groups\":[]}");
      } else if (path.equals("/api/v1")) {
        send(exchange, 200, "{\"kind\":\"APIResourceList\",\"groupVersion\":\"v1\",\"resources\":["
            + "{\"name\":\"secrets\",\"singularName\":\"secret\",\"namespaced\":true,\"kind\":\"Secret\","
            + "\"verbs\":[\"get\",\"list\"]}]}");
      } else if (path.equals("/version")) {
        send(exchange, 200, "{\"major\":\"1\",\"minor\":\"30\",\"gitVersion\":\"v1.30.0\"}");
      } else if (path.matches("/api/v1/namespaces/[^/]+/secrets/[^/]+")) {
        String[] parts = path.split("/");
        Map<String, String> data = secrets.get(parts[4] + "/" + parts[6]);
        if (data == null) {
          send(exchange, 404, status(404, "NotFound", "secrets \\\"" + parts[6] + "\\\" not found"));
        } else {
          send(exchange, 200, secretJson(parts[4], parts[6], data));
        }
      } else {
        send(exchange, 404, status(404, "NotFound", "the server could not find the requested resource"));
      }
    }
  }

  private static String secretJson(String namespace, String name, Map<String, String> data) {
    String encoded = data.entrySet().stream()
        .map(e -> "\"" + e.getKey() + "\":\""
            + Base64.getEncoder().encodeToString(e.getValue().getBytes(StandardCharsets.UTF_8)) + "\"")
        .collect(Collectors.joining(","));
    return "{\"kind\":\"Secret\",\"apiVersion\":\"v1\",\"metadata\":{\"name\":\"" + name
        + "\",\"namespace\":\"" + namespace + "\"},\"type\":\"Opaque\",\"data\":{" + encoded + "}}";
  }

  private static String status(int code, String reason, String message) {
    return "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"message\":\"" + message
        + "\",\"reason\":\"" + reason + "\",\"code\":" + code + "}";
  }

  private static void send(HttpExchange exchange, int code, String json) throws IOException {
    byte[] body = json.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(code, body.length);
    exchange.getResponseBody().write(body);
  }
}
