package io.webcall.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;

/**
 * The few operator calls of the account service's REST API the launcher needs, authenticated
 * with the admin API key ({@code Authorization: Bearer <key>}).
 */
public final class AccountAdminClient {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final HttpClient http;
    private final URI base;
    private final String adminKey;

    public AccountAdminClient(HttpClient http, URI base, String adminKey) {
        this.http = http;
        this.base = base;
        this.adminKey = adminKey;
    }

    /** The tenant with this SIP domain ({@code GET /v1/tenants?domain=}), if any. */
    public Optional<JsonNode> findTenant(String domain) throws IOException, InterruptedException {
        JsonNode list = expect(send("GET", "/v1/tenants?domain=" + URLEncoder.encode(domain, StandardCharsets.UTF_8), null), 200);
        return list.isArray() && !list.isEmpty() ? Optional.of(list.get(0)) : Optional.empty();
    }

    /** {@code POST /v1/tenants}; the body is the create request. */
    public JsonNode createTenant(JsonNode body) throws IOException, InterruptedException {
        return expect(send("POST", "/v1/tenants", body), 201);
    }

    /** {@code PATCH /v1/tenants/{id}} (merge patch). */
    public JsonNode patchTenant(String id, JsonNode patch) throws IOException, InterruptedException {
        return expect(send("PATCH", "/v1/tenants/" + id, patch), 200);
    }

    /**
     * {@code POST /v1/tenants/{id}/users}.
     *
     * @return true when created, false when the user already existed (409)
     */
    public boolean createUserIfAbsent(String tenantId, JsonNode body) throws IOException, InterruptedException {
        HttpResponse<String> response = send("POST", "/v1/tenants/" + tenantId + "/users", body);
        if (response.statusCode() == 409) {
            return false;
        }
        expect(response, 201);
        return true;
    }

    private HttpResponse<String> send(String method, String path, JsonNode body) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path))
                .timeout(TIMEOUT)
                .header("Authorization", "Bearer " + adminKey)
                .header("Accept", "application/json");
        if (body == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode expect(HttpResponse<String> response, int status) throws IOException {
        if (response.statusCode() != status) {
            throw new IOException(response.request().method() + " " + response.request().uri() + " answered "
                    + response.statusCode() + " (expected " + status + "): " + response.body());
        }
        return response.body().isBlank() ? JSON.nullNode() : JSON.readTree(response.body());
    }

    static ObjectMapper json() {
        return JSON;
    }
}
