package io.webcall.account.tenant;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import io.webcall.account.AccountApi;
import io.webcall.account.AccountApi.TestTenant;
import io.webcall.account.call.CallRecordIds;
import io.webcall.account.call.CallRecordWriter;
import io.webcall.events.CallDirection;
import io.webcall.events.CallEvent;
import io.webcall.events.CallEventType;
import io.webcall.events.HangupSide;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.webcall.account.AccountApi.as;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.emptyOrNullString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code /v1/calls} and {@code /v1/webhooks} name no tenant: the caller's own tenant comes from its
 * key or token, so tenant A can neither list, read nor change anything of tenant B, whatever id it
 * sends. Errors carry the usual JSON body.
 */
@QuarkusTest
class CallsAndWebhooksTenantIsolationTest {

    static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");

    @Inject
    CallRecordWriter writer;

    TestTenant a;
    TestTenant b;
    String callOfB;
    String webhookOfB;

    @BeforeEach
    void twoTenantsWithCallsAndWebhooks() throws Exception {
        a = AccountApi.tenantWithUsers("iso-a");
        b = AccountApi.tenantWithUsers("iso-b");
        // B's webhook first, so B's call queues a delivery for it
        webhookOfB = as(b.apiKey()).body(Map.of("url", "http://127.0.0.1:9/hook-of-b", "events", List.of("call.completed")))
                .post("/v1/webhooks").then().statusCode(201).extract().path("id");
        as(a.apiKey()).body(Map.of("url", "http://127.0.0.1:9/hook-of-a"))
                .post("/v1/webhooks").then().statusCode(201);
        UUID tenantB = UUID.fromString(b.id());
        writer.store(answered(UUID.fromString(a.id()), "a-call", T0, a.domain()), List.of(), List.of());
        writer.store(answered(tenantB, "b-call", T0.plusSeconds(60), b.domain()), List.of(), List.of());
        callOfB = CallRecordIds.of(tenantB, "b-call").toString();
    }

    @Test
    void tenantKeyListsAndReadsOnlyItsOwnCalls() {
        as(a.apiKey()).get("/v1/calls").then().statusCode(200).body("calls.callId", contains("a-call"));
        as(a.apiKey()).queryParam("user", "alice").get("/v1/calls").then().statusCode(200)
                .body("calls.callId", contains("a-call"));
        notFound(as(a.apiKey()).get("/v1/calls/" + callOfB).then());
        String csv = as(a.apiKey()).accept("text/csv").get("/v1/calls/export").then().statusCode(200).extract().asString();
        assertTrue(csv.contains("a-call") && !csv.contains("b-call"), csv);
        // B still sees its own call: nothing was changed by A's attempts
        as(b.apiKey()).get("/v1/calls/" + callOfB).then().statusCode(200).body("callId", equalTo("b-call"));
    }

    @Test
    void userAccessTokenOfOneTenantNeverReadsTheSameUsernamesCallsInAnother() {
        String aliceOfA = as(a.apiKey()).body(Map.of("username", "alice")).post("/v1/tokens")
                .then().statusCode(200).extract().path("token");
        as(aliceOfA).get("/v1/calls").then().statusCode(200).body("calls.callId", contains("a-call"));
        notFound(as(aliceOfA).get("/v1/calls/" + callOfB).then());
    }

    @Test
    void tenantKeyNeitherSeesNorChangesAnotherTenantsWebhooks() {
        String secretOfB = as(b.apiKey()).get("/v1/webhooks/signing-secret").then().statusCode(200).extract().path("secret");

        as(a.apiKey()).get("/v1/webhooks").then().statusCode(200)
                .body("$", hasSize(1)).body("[0].url", containsString("hook-of-a"));
        as(a.apiKey()).queryParam("webhookId", webhookOfB).get("/v1/webhooks/deliveries").then().statusCode(200)
                .body("deliveries", hasSize(0));
        as(a.apiKey()).get("/v1/webhooks/deliveries").then().statusCode(200)
                .body("deliveries.webhookId", not(hasItem(webhookOfB)));
        notFound(as(a.apiKey()).delete("/v1/webhooks/" + webhookOfB).then());
        String secretOfA = as(a.apiKey()).post("/v1/webhooks/signing-secret/rotate").then().statusCode(200)
                .extract().path("secret");

        // B's webhook, its delivery and its secret are all as they were
        as(b.apiKey()).get("/v1/webhooks").then().statusCode(200).body("id", contains(webhookOfB));
        as(b.apiKey()).queryParam("webhookId", webhookOfB).get("/v1/webhooks/deliveries").then().statusCode(200)
                .body("deliveries", hasSize(1));
        as(b.apiKey()).get("/v1/webhooks/signing-secret").then().statusCode(200)
                .body("secret", equalTo(secretOfB)).body("secret", not(equalTo(secretOfA)));
    }

    @Test
    void callersWithoutATenantKeyAreRefusedWithTheJsonErrorBody() {
        String aliceOfA = as(a.apiKey()).body(Map.of("username", "alice")).post("/v1/tokens")
                .then().statusCode(200).extract().path("token");
        for (String path : List.of("/v1/calls", "/v1/calls/" + callOfB, "/v1/webhooks", "/v1/webhooks/signing-secret")) {
            forbidden(AccountApi.admin().get(path).then());
        }
        forbidden(AccountApi.admin().delete("/v1/webhooks/" + webhookOfB).then());
        forbidden(AccountApi.admin().accept("text/csv").get("/v1/calls/export").then());
        // the CSV export and webhooks take API keys only: a user's token is no credential there
        as(aliceOfA).accept("text/csv").get("/v1/calls/export").then().statusCode(401).body("error", equalTo("unauthorized"));
        as(aliceOfA).get("/v1/webhooks").then().statusCode(401).body("error", equalTo("unauthorized"));
        as(b.apiKey()).get("/v1/webhooks").then().statusCode(200).body("id", contains(webhookOfB));
    }

    private static void notFound(ValidatableResponse response) {
        response.statusCode(404)
                .body("error", equalTo("not_found"))
                .body("message", not(emptyOrNullString()))
                .body("$", hasKey("field")).body("field", nullValue());
    }

    private static void forbidden(ValidatableResponse response) {
        response.statusCode(403)
                .body("error", equalTo("forbidden"))
                .body("message", not(emptyOrNullString()));
    }

    /** alice calls bob within the tenant: answered, ended by bob. */
    static List<CallEvent> answered(UUID tenant, String callId, Instant start, String domain) {
        String from = "sip:alice@" + domain;
        String to = "sip:bob@" + domain;
        return List.of(
                CallEvent.builder(CallEventType.INITIATED, callId, tenant, 1).time(start).from(from).to(to).user("alice")
                        .direction(CallDirection.INTERNAL).build(),
                CallEvent.builder(CallEventType.ANSWERED, callId, tenant, 2).time(start.plusSeconds(2)).from(from).to(to)
                        .user("alice").direction(CallDirection.INTERNAL).sipCode(200).build(),
                CallEvent.builder(CallEventType.ENDED, callId, tenant, 3).time(start.plusSeconds(30)).from(from).to(to)
                        .user("alice").direction(CallDirection.INTERNAL).sipCode(200).cause("normal")
                        .hangupBy(HangupSide.CALLEE).build());
    }
}
