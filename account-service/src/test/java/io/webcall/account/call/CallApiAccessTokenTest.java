package io.webcall.account.call;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.restassured.specification.RequestSpecification;
import io.webcall.account.AccountApi;
import io.webcall.account.AccountApi.TestTenant;
import io.webcall.account.token.AccessTokenClaims;
import io.webcall.account.token.AccessTokens;
import io.webcall.events.CallDirection;
import io.webcall.events.CallEvent;
import io.webcall.events.CallEventType;
import io.webcall.events.HangupSide;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.webcall.account.AccountApi.as;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

/** Users read their own calls with their access token; never other users' or other tenants' calls. */
@QuarkusTest
@TestProfile(CallRecordsProfile.class)
class CallApiAccessTokenTest {

    static final Instant T0 = Instant.parse("2026-11-21T09:00:00Z");

    @Inject
    CallRecordWriter writer;

    @Inject
    AccessTokens accessTokens;

    TestTenant a;
    TestTenant b;

    @BeforeEach
    void calls() throws Exception {
        a = AccountApi.tenantWithUsers("mine-a");
        AccountApi.createUser(a.id(), "carol", "secret-pw");
        b = AccountApi.tenantWithUsers("mine-b");
        UUID ta = UUID.fromString(a.id());
        UUID tb = UUID.fromString(b.id());
        store(internal(ta, "alice-bob", T0, "alice", "bob", a.domain()));
        store(CallScenarios.answered(ta, "alice-pbx", T0.plusSeconds(60), "alice", "sip:+4930111@pbx", 20));
        store(CallScenarios.answered(ta, "carol-pbx", T0.plusSeconds(120), "carol", "sip:+4930222@pbx", 20));
        store(CallScenarios.answered(tb, "b-alice-pbx", T0.plusSeconds(180), "alice", "sip:+4930333@pbx", 20));
    }

    void store(List<CallEvent> events) throws Exception {
        writer.store(events, List.of(), List.of());
    }

    /** A call between two users of the tenant, answered, 30 s of talk, the callee hangs up. */
    static List<CallEvent> internal(UUID tenant, String callId, Instant start, String caller, String callee, String domain) {
        String from = "sip:" + caller + "@" + domain;
        String to = "sip:" + callee + "@" + domain;
        return List.of(
                CallEvent.builder(CallEventType.INITIATED, callId, tenant, 1).time(start).from(from).to(to).user(caller)
                        .direction(CallDirection.INTERNAL).build(),
                CallEvent.builder(CallEventType.ANSWERED, callId, tenant, 2).time(start.plusSeconds(2)).from(from).to(to)
                        .user(caller).direction(CallDirection.INTERNAL).sipCode(200).build(),
                CallEvent.builder(CallEventType.ENDED, callId, tenant, 3).time(start.plusSeconds(32)).from(from).to(to)
                        .user(caller).direction(CallDirection.INTERNAL).sipCode(200).cause("normal")
                        .hangupBy(HangupSide.CALLEE).build());
    }

    String token(TestTenant t, String user) {
        return as(t.apiKey()).body(Map.of("username", user)).post("/v1/tokens").then().statusCode(200).extract().path("token");
    }

    static RequestSpecification bearer(String token) {
        return RestAssured.given().header("Authorization", "Bearer " + token);
    }

    static String id(TestTenant t, String callId) {
        return CallRecordIds.of(UUID.fromString(t.id()), callId).toString();
    }

    @Test
    void aUsersTokenListsTheCallsThatUserPlacedOrReceivedOnly() {
        bearer(token(a, "alice")).get("/v1/calls").then().statusCode(200)
                .body("calls.callId", contains("alice-pbx", "alice-bob")).body("next", nullValue());
        bearer(token(a, "bob")).get("/v1/calls").then().statusCode(200)
                .body("calls.callId", contains("alice-bob"));
        bearer(token(a, "carol")).get("/v1/calls").then().statusCode(200)
                .body("calls.callId", contains("carol-pbx"));
        // a filter naming another user narrows the user's own calls, never widens them
        bearer(token(a, "carol")).queryParam("user", "alice").get("/v1/calls").then().statusCode(200)
                .body("calls.callId", org.hamcrest.Matchers.empty());
        // the tenant's API key still sees every call of the tenant
        as(a.apiKey()).get("/v1/calls").then().statusCode(200)
                .body("calls.callId", contains("carol-pbx", "alice-pbx", "alice-bob"));
    }

    @Test
    void oneCallIsReadableByItsPartiesAndNotFoundForOtherUsersAndTenants() {
        String aliceBob = id(a, "alice-bob");
        bearer(token(a, "bob")).get("/v1/calls/" + aliceBob).then().statusCode(200)
                .body("callId", equalTo("alice-bob")).body("status", equalTo("completed"))
                .body("direction", equalTo("internal")).body("talkDurationMs", equalTo(30000))
                .body("events.type", contains("initiated", "answered", "ended"));
        bearer(token(a, "alice")).get("/v1/calls/" + aliceBob).then().statusCode(200);
        bearer(token(a, "carol")).get("/v1/calls/" + aliceBob).then().statusCode(404).body("error", equalTo("not_found"));
        bearer(token(a, "bob")).get("/v1/calls/" + id(a, "alice-pbx")).then().statusCode(404);
        // the same username in another tenant
        bearer(token(b, "alice")).get("/v1/calls/" + aliceBob).then().statusCode(404);
        bearer(token(b, "alice")).get("/v1/calls/" + id(a, "alice-pbx")).then().statusCode(404);
    }

    @Test
    void aTokenOfAnotherTenantSeesNothingOfThisTenant() {
        bearer(token(b, "alice")).get("/v1/calls").then().statusCode(200).body("calls.callId", contains("b-alice-pbx"));
        bearer(token(b, "bob")).get("/v1/calls").then().statusCode(200).body("calls.callId", org.hamcrest.Matchers.empty());
    }

    @Test
    void tamperedExpiredAndMissingTokensAre401() {
        String good = token(a, "bob");
        String[] parts = good.split("\\.");
        String payload = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8).replace("\"bob\"", "\"alice\"");
        String tampered = parts[0] + "." + Base64.getUrlEncoder().withoutPadding()
                .encodeToString(payload.getBytes(StandardCharsets.UTF_8)) + "." + parts[2];
        bearer(tampered).get("/v1/calls").then().statusCode(401).body("error", equalTo("unauthorized"));
        bearer(tampered).get("/v1/calls/" + id(a, "alice-pbx")).then().statusCode(401);

        String expired = accessTokens.sign(new AccessTokenClaims("alice", UUID.fromString(a.id()), a.domain(),
                "sip:alice@" + a.domain(), List.of("outgoing"), Instant.now().minusSeconds(600),
                Instant.now().minusSeconds(120), "expired-" + UUID.randomUUID()));
        bearer(expired).get("/v1/calls").then().statusCode(401).body("message", equalTo("invalid or expired access token"));
        bearer(expired).get("/v1/calls/" + id(a, "alice-pbx")).then().statusCode(401);

        RestAssured.given().get("/v1/calls").then().statusCode(401).body("error", equalTo("unauthorized"));
        bearer("wk_not_a_key").get("/v1/calls").then().statusCode(401);
    }

    @Test
    void aDisabledUsersTokenIsRefusedAndTheExportStaysForApiKeysOnly() {
        String alice = token(a, "alice");
        bearer(alice).get("/v1/calls/export").then().statusCode(401);
        AccountApi.admin().body(Map.of("enabled", false)).patch("/v1/tenants/" + a.id() + "/users/alice").then().statusCode(200);
        bearer(alice).get("/v1/calls").then().statusCode(403).body("error", equalTo("forbidden"));
    }

    @Test
    void theEdgesPageOriginPassesTheCorsPreflightAndOtherOriginsDoNot() {
        for (String origin : List.of("http://127.0.0.1:8080", "https://127.0.0.1:8443")) {
            RestAssured.given().header("Origin", origin)
                    .header("Access-Control-Request-Method", "GET")
                    .header("Access-Control-Request-Headers", "authorization")
                    .options("/v1/calls").then().statusCode(200)
                    .header("Access-Control-Allow-Origin", equalTo(origin))
                    .header("Access-Control-Allow-Headers", org.hamcrest.Matchers.containsStringIgnoringCase("authorization"));
        }
        RestAssured.given().header("Origin", "http://127.0.0.1:8080").header("Authorization", "Bearer " + token(a, "bob"))
                .get("/v1/calls").then().statusCode(200)
                .header("Access-Control-Allow-Origin", equalTo("http://127.0.0.1:8080"))
                .body("calls.callId", contains("alice-bob"));
        RestAssured.given().header("Origin", "http://evil.example")
                .header("Access-Control-Request-Method", "GET")
                .header("Access-Control-Request-Headers", "authorization")
                .options("/v1/calls").then()
                .statusCode(403)
                .header("Access-Control-Allow-Origin", nullValue());
    }
}
