package io.webcall.account;

import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import io.restassured.specification.RequestSpecification;

import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;

/** Small steps the tests share: the operator creates tenants, users and keys through the API. */
public final class AccountApi {

    /** {@code %test.webcall.admin.api-key} in application.properties. */
    public static final String ADMIN_KEY = "wk_test_admin_key";
    /** {@code %test.webcall.internal.token}. */
    public static final String INTERNAL_TOKEN = "test-internal-token";

    private AccountApi() {
    }

    /** A tenant with its own API key and a few users. */
    public record TestTenant(String id, String domain, String apiKey) {
    }

    public static RequestSpecification admin() {
        return as(ADMIN_KEY);
    }

    public static RequestSpecification as(String key) {
        return given().header("Authorization", "Bearer " + key).contentType(ContentType.JSON).accept(ContentType.JSON);
    }

    public static String uniqueDomain(String label) {
        return label + "-" + UUID.randomUUID().toString().substring(0, 8) + ".example.test";
    }

    public static String createTenant(String domain) {
        return admin().body(Map.of("name", "Tenant " + domain, "domain", domain))
                .post("/v1/tenants").then().statusCode(201).extract().path("id");
    }

    public static String createApiKey(String tenantId) {
        return admin().body(Map.of("name", "test"))
                .post("/v1/tenants/" + tenantId + "/api-keys").then().statusCode(201).extract().path("key");
    }

    public static ValidatableResponse createUser(String tenantId, String username, String password) {
        return admin().body(Map.of("username", username, "displayName", "User " + username, "password", password))
                .post("/v1/tenants/" + tenantId + "/users").then().statusCode(201);
    }

    /** A tenant with an API key and users alice and bob (password {@code secret-pw}). */
    public static TestTenant tenantWithUsers(String label) {
        String domain = uniqueDomain(label);
        String id = createTenant(domain);
        createUser(id, "alice", "secret-pw");
        createUser(id, "bob", "secret-pw");
        return new TestTenant(id, domain, createApiKey(id));
    }
}
