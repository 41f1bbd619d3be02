package io.webcall.account.apikey;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import io.webcall.account.AccountApi;
import io.webcall.account.AccountApi.TestTenant;
import io.quarkus.narayana.jta.QuarkusTransaction;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.UUID;

import static io.webcall.account.AccountApi.admin;
import static io.webcall.account.AccountApi.as;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.hasKey;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
class ApiKeyResourceTest {

    @Test
    void keyIsShownOnceAndStoredOnlyAsItsSha256() {
        TestTenant t = AccountApi.tenantWithUsers("keys");
        JsonPath created = JsonPath.from(admin().body(Map.of("name", "backend"))
                .post("/v1/tenants/" + t.id() + "/api-keys").then().statusCode(201)
                .header("Cache-Control", "no-store")
                .body("name", equalTo("backend")).body("createdAt", notNullValue())
                .extract().asString());
        String key = created.getString("key");
        assertTrue(key.matches("wk_[A-Za-z0-9_-]{43}"), key);
        assertEquals(key.substring(0, 11), created.getString("prefix"));

        String listing = as(t.apiKey()).get("/v1/tenants/" + t.id() + "/api-keys").then().statusCode(200)
                .body("$", hasSize(2)).body("name", hasItem("backend"))
                .body("$", everyItem(not(hasKey("key")))).extract().asString();
        assertFalse(listing.contains(key), listing);

        String stored = QuarkusTransaction.requiringNew().call(() ->
                ApiKey.<ApiKey>findById(UUID.fromString(created.getString("id"))).keyHash);
        assertEquals(sha256(key), stored);
    }

    @Test
    void useRecordsLastUsedAndRevocationStopsTheKeyAtOnce() {
        TestTenant t = AccountApi.tenantWithUsers("revoke");
        String second = AccountApi.createApiKey(t.id());
        String secondId = as(t.apiKey()).get("/v1/tenants/" + t.id() + "/api-keys").then().extract()
                .path("find { it.prefix == '" + second.substring(0, 11) + "' }.id");
        as(t.apiKey()).get("/v1/tenants/" + t.id() + "/api-keys").then()
                .body("find { it.id == '" + secondId + "' }.lastUsedAt", nullValue());

        as(second).get("/v1/tenants/" + t.id() + "/users").then().statusCode(200);
        as(t.apiKey()).get("/v1/tenants/" + t.id() + "/api-keys").then()
                .body("find { it.id == '" + secondId + "' }.lastUsedAt", notNullValue());

        as(t.apiKey()).delete("/v1/tenants/" + t.id() + "/api-keys/" + secondId).then().statusCode(204);
        as(second).get("/v1/tenants/" + t.id() + "/users").then().statusCode(401).body("error", equalTo("unauthorized"));
        as(t.apiKey()).get("/v1/tenants/" + t.id() + "/api-keys").then().body("id", not(hasItem(secondId)));
        as(t.apiKey()).delete("/v1/tenants/" + t.id() + "/api-keys/" + secondId).then().statusCode(404);
    }

    @Test
    void lastUsedIsWrittenAtMostOncePerResolution() {
        TestTenant t = AccountApi.tenantWithUsers("lastused");
        as(t.apiKey()).get("/v1/tenants/" + t.id()).then().statusCode(200);
        String first = as(t.apiKey()).get("/v1/tenants/" + t.id() + "/api-keys").then().extract().path("[0].lastUsedAt");
        for (int i = 0; i < 5; i++) {
            as(t.apiKey()).get("/v1/tenants/" + t.id()).then().statusCode(200);
        }
        String later = as(t.apiKey()).get("/v1/tenants/" + t.id() + "/api-keys").then().extract().path("[0].lastUsedAt");
        assertEquals(first, later, "a second write within the resolution (1 minute) would change the time");
    }

    @Test
    void anotherTenantsKeysAreInvisibleAndCannotBeRevoked() {
        TestTenant a = AccountApi.tenantWithUsers("keys-a");
        TestTenant b = AccountApi.tenantWithUsers("keys-b");
        String bKeyId = admin().get("/v1/tenants/" + b.id() + "/api-keys").then().extract().path("[0].id");

        as(a.apiKey()).get("/v1/tenants/" + b.id() + "/api-keys").then().statusCode(404).body("error", equalTo("not_found"));
        as(a.apiKey()).body(Map.of("name", "sneaky")).post("/v1/tenants/" + b.id() + "/api-keys").then().statusCode(404);
        as(a.apiKey()).delete("/v1/tenants/" + b.id() + "/api-keys/" + bKeyId).then().statusCode(404);
        // B's key id under A's own tenant is not found either
        as(a.apiKey()).delete("/v1/tenants/" + a.id() + "/api-keys/" + bKeyId).then().statusCode(404);
        as(a.apiKey()).get("/v1/tenants/" + a.id() + "/api-keys").then().statusCode(200).body("id", not(hasItem(bKeyId)));
        as(b.apiKey()).get("/v1/tenants/" + b.id() + "/users").then().statusCode(200);
    }

    @Test
    void missingOrUnknownKeysAre401AndBadIdsAre400() {
        TestTenant t = AccountApi.tenantWithUsers("keys-401");
        String keys = "/v1/tenants/" + t.id() + "/api-keys";
        RestAssured.given().get(keys).then().statusCode(401).body("error", equalTo("unauthorized"));
        RestAssured.given().contentType("application/json").body("{}").post(keys).then().statusCode(401);
        RestAssured.given().delete(keys + "/" + UUID.randomUUID()).then().statusCode(401);
        as("wk_" + "A".repeat(43)).get(keys).then().statusCode(401);
        as("x".repeat(5000)).get(keys).then().statusCode(401);
        as(t.apiKey()).delete(keys + "/nope").then().statusCode(400).body("field", equalTo("keyId"));
        as(t.apiKey()).body(Map.of("name", "n".repeat(101))).post(keys).then().statusCode(400).body("field", equalTo("name"));
        as(t.apiKey()).get("/v1/tenants/zzz/api-keys").then().statusCode(400).body("field", equalTo("tenantId"));
    }

    private static String sha256(String value) {
        return io.webcall.account.crypto.Hashes.sha256Hex(value);
    }
}
