package io.webcall.account.ops;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import io.webcall.account.AccountApi;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Health with the database check, Prometheus metrics and the OpenAPI description. */
@QuarkusTest
class OperationsEndpointsTest {

    @Test
    void healthIsUpAndChecksTheDatabase() {
        RestAssured.given().get("/q/health").then().statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.name", hasItem(containsString("Database connections health check")));
        RestAssured.given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
    }

    @Test
    void prometheusMetricsIncludeHttpAndTokenCounters() {
        AccountApi.TestTenant t = AccountApi.tenantWithUsers("metrics");
        AccountApi.as(t.apiKey()).body(Map.of("username", "alice")).post("/v1/tokens").then().statusCode(200);
        AccountApi.as("wk_unknown_key").get("/v1/tenants/" + t.id()).then().statusCode(401);
        String metrics = RestAssured.given().get("/q/metrics").then().statusCode(200).extract().asString();
        assertTrue(metrics.contains("webcall_account_tokens_issued_total"), "token counter");
        assertTrue(metrics.contains("webcall_account_api_key_rejected_total"), "rejection counter");
        assertTrue(metrics.contains("http_server_requests_seconds_count"), "HTTP server metrics");
    }

    @Test
    void openApiDescribesEveryEndpointAndTheBearerSchemes() {
        JsonPath api = JsonPath.from(RestAssured.given().accept("application/json").get("/q/openapi")
                .then().statusCode(200).extract().asString());
        Map<String, Object> paths = api.getMap("paths");
        for (String path : List.of("/v1/tenants", "/v1/tenants/{id}", "/v1/tenants/{tenantId}/users",
                "/v1/tenants/{tenantId}/users/{username}", "/v1/tenants/{tenantId}/api-keys",
                "/v1/tenants/{tenantId}/api-keys/{keyId}", "/v1/tokens", "/v1/admin/signing-keys/rotate",
                "/.well-known/jwks.json", "/v1/client-config", "/v1/internal/tenants/by-domain/{domain}",
                "/v1/internal/tenants/by-pbx-address", "/v1/internal/credentials/{domain}/{username}")) {
            assertNotNull(paths.get(path), "OpenAPI lacks " + path);
        }
        assertEquals("bearer", api.getString("components.securitySchemes.apiKey.scheme"));
        assertEquals("http", api.getString("components.securitySchemes.apiKey.type"));
        assertEquals("JWT", api.getString("components.securitySchemes.accessToken.bearerFormat"));
        assertEquals("bearer", api.getString("components.securitySchemes.internalToken.scheme"));
        assertEquals(List.of(Map.of("apiKey", List.of())), api.getList("paths.'/v1/tokens'.post.security"));
        assertNotNull(api.get("components.schemas.ApiError"));
    }
}
