package io.webcall.account.webhook;

import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import io.webcall.account.AccountApi;
import io.webcall.account.call.CallRecordWriter;
import io.webcall.account.call.CallRecordsProfile;
import io.webcall.events.CallDirection;
import io.webcall.events.CallEvent;
import io.webcall.events.CallEventType;
import io.webcall.events.HangupSide;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static io.webcall.account.AccountApi.as;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Webhook deliveries to a real local HTTP receiver: signatures, retries with backoff, the log, isolation. */
@QuarkusTest
@TestProfile(CallRecordsProfile.class)
class WebhookDeliveryTest {

    /** A request as the receiver saw it. */
    record Received(long atNanos, String path, Map<String, String> headers, String body, int answered) {
    }

    @Inject
    CallRecordWriter writer;

    HttpServer receiver;
    String base;
    final List<Received> received = new CopyOnWriteArrayList<>();
    final Map<String, AtomicInteger> attemptsByDelivery = new ConcurrentHashMap<>();
    UUID tenant;
    String key;

    @BeforeEach
    void start() throws Exception {
        receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        receiver.createContext("/", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            String path = exchange.getRequestURI().getPath();
            String delivery = exchange.getRequestHeaders().getFirst("Webcall-Delivery");
            int attempt = attemptsByDelivery.computeIfAbsent(String.valueOf(delivery), k -> new AtomicInteger()).incrementAndGet();
            // /flaky fails the first two attempts of each delivery, /down always fails
            int status = path.startsWith("/down") ? 503 : path.startsWith("/flaky") && attempt <= 2 ? 500 : 204;
            Map<String, String> headers = new ConcurrentHashMap<>();
            exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(), v.get(0)));
            received.add(new Received(System.nanoTime(), path, headers, new String(body, StandardCharsets.UTF_8), status));
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        receiver.start();
        base = "http://127.0.0.1:" + receiver.getAddress().getPort();
        String id = AccountApi.createTenant(AccountApi.uniqueDomain("hooks"));
        tenant = UUID.fromString(id);
        key = AccountApi.createApiKey(id);
    }

    @AfterEach
    void stop() {
        receiver.stop(0);
    }

    String register(String path, List<String> events) {
        return as(key).body(events == null ? Map.of("url", base + path) : Map.of("url", base + path, "events", events))
                .post("/v1/webhooks").then().statusCode(201).extract().path("id");
    }

    List<CallEvent> answeredCall(String callId) {
        Instant t = Instant.now();
        return List.of(
                CallEvent.builder(CallEventType.INITIATED, callId, tenant, 1).time(t).from("sip:alice@d").to("sip:bob@d")
                        .user("alice").direction(CallDirection.INTERNAL).build(),
                CallEvent.builder(CallEventType.ANSWERED, callId, tenant, 2).time(t.plusSeconds(2)).sipCode(200).build(),
                CallEvent.builder(CallEventType.ENDED, callId, tenant, 3).time(t.plusSeconds(9)).sipCode(200)
                        .cause("normal").hangupBy(HangupSide.CALLER).build());
    }

    @Test
    void deliveriesAreSignedRetriedWithBackoffAndLogged() throws Exception {
        String hook = register("/flaky", List.of("call.answered", "call.completed"));
        String secret = as(key).get("/v1/webhooks/signing-secret").then().statusCode(200)
                .body("secret", startsWith("whsec_")).extract().path("secret");

        List<CallEvent> events = answeredCall("hook-call-" + tenant);
        writer.store(events, List.of(), List.of());
        writer.store(events, List.of(), List.of()); // redelivered by Kafka: no second delivery

        awaitDelivered(2);
        List<Received> ok = received.stream().filter(r -> r.answered() == 204).toList();
        assertEquals(2, ok.size());
        for (Received r : ok) {
            String header = r.headers().get("webcall-signature");
            String t = header.substring(2, header.indexOf(','));
            String v1 = header.substring(header.indexOf("v1=") + 3);
            assertEquals(Hmac.hex(secret, t + "." + r.body()), v1, "HMAC-SHA256 over t.body with the tenant secret");
            assertTrue(Math.abs(Instant.now().getEpochSecond() - Long.parseLong(t)) < 120, "timestamp is the attempt time");
            assertEquals("application/json", r.headers().get("content-type"));
            JsonPath body = JsonPath.from(r.body());
            assertEquals(r.headers().get("webcall-event"), body.getString("type"));
            assertEquals(r.headers().get("webcall-delivery"), body.getString("id"));
            assertEquals("hook-call-" + tenant, body.getString("call.callId"));
        }
        JsonPath completed = JsonPath.from(ok.stream().filter(r -> r.body().contains("call.completed")).findFirst().orElseThrow().body());
        assertEquals("completed", completed.getString("call.status"));
        assertEquals(7000, completed.getInt("call.talkDurationMs"));

        // three attempts per delivery, spaced by at least the backoff (200 ms, then 400 ms)
        for (String delivery : ok.stream().map(r -> r.headers().get("webcall-delivery")).toList()) {
            List<Long> times = received.stream().filter(r -> delivery.equals(r.headers().get("webcall-delivery")))
                    .map(Received::atNanos).toList();
            assertEquals(3, times.size());
            assertTrue(times.get(1) - times.get(0) >= Duration.ofMillis(190).toNanos(), "first backoff");
            assertTrue(times.get(2) - times.get(1) >= Duration.ofMillis(390).toNanos(), "doubled backoff");
        }

        as(key).queryParam("webhookId", hook).get("/v1/webhooks/deliveries").then().statusCode(200)
                .body("deliveries", hasSize(2))
                .body("deliveries.eventType", containsInAnyOrder("call.answered", "call.completed"))
                .body("deliveries.status", everyItem(equalTo("delivered")))
                .body("deliveries.attempts", everyItem(equalTo(3)))
                .body("deliveries.lastStatusCode", everyItem(equalTo(204)))
                .body("deliveries.payload.call.callId", everyItem(equalTo("hook-call-" + tenant)));
        assertEquals(6, received.size(), "no delivery for the repeated events, none for unsubscribed types");
    }

    @Test
    void anEndpointThatKeepsFailingEndsAsFailedAfterMaxAttempts() throws Exception {
        register("/down", List.of("call.completed"));
        writer.store(answeredCall("down-call-" + tenant), List.of(), List.of());
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            List<String> statuses = as(key).get("/v1/webhooks/deliveries").then().statusCode(200).extract().path("deliveries.status");
            if (statuses.equals(List.of("failed"))) {
                break;
            }
            Thread.sleep(100);
        }
        as(key).get("/v1/webhooks/deliveries").then().statusCode(200)
                .body("deliveries.status", contains("failed"))
                .body("deliveries[0].attempts", equalTo(4))
                .body("deliveries[0].lastStatusCode", equalTo(503))
                .body("deliveries[0].lastError", equalTo("HTTP 503"));
        assertEquals(4, received.stream().filter(r -> r.path().equals("/down")).count());
    }

    @Test
    void registrationChecksUrlAndEvents() {
        as(key).body(Map.of("url", "ftp://example.com/x")).post("/v1/webhooks").then().statusCode(400)
                .body("field", equalTo("url"));
        as(key).body(Map.of("url", "http://example.com/hook")).post("/v1/webhooks").then().statusCode(400)
                .body("field", equalTo("url")).body("message", equalTo("url must use https"));
        as(key).body(Map.of("url", "https://user:pw@example.com/hook")).post("/v1/webhooks").then().statusCode(400)
                .body("field", equalTo("url"));
        as(key).body(Map.of("url", "https://example.com/hook", "events", List.of("call.exploded"))).post("/v1/webhooks")
                .then().statusCode(400).body("field", equalTo("events"));
        as(key).body(Map.of("url", "https://example.com/hook", "color", "red")).post("/v1/webhooks")
                .then().statusCode(400).body("field", equalTo("color"));
        as(key).body(Map.of("url", "https://example.com/hook")).post("/v1/webhooks").then().statusCode(201)
                .body("events", contains("call.initiated", "call.ringing", "call.answered", "call.completed"));
        as(key).queryParam("status", "lost").get("/v1/webhooks/deliveries").then().statusCode(400).body("field", equalTo("status"));
        as(key).queryParam("cursor", "nope").get("/v1/webhooks/deliveries").then().statusCode(400).body("field", equalTo("cursor"));
        as(key).queryParam("webhookId", "nope").get("/v1/webhooks/deliveries").then().statusCode(400).body("field", equalTo("webhookId"));
    }

    @Test
    void tenantsSeeAndChangeOnlyTheirOwnWebhooks() throws Exception {
        String hook = register("/flaky", List.of("call.initiated"));
        writer.store(answeredCall("iso-call-" + tenant).subList(0, 1), List.of(), List.of());
        String otherKey = AccountApi.createApiKey(AccountApi.createTenant(AccountApi.uniqueDomain("hooks-other")));
        as(otherKey).get("/v1/webhooks").then().statusCode(200).body("$", hasSize(0));
        as(otherKey).get("/v1/webhooks/deliveries").then().statusCode(200).body("deliveries", hasSize(0));
        as(otherKey).queryParam("webhookId", hook).get("/v1/webhooks/deliveries").then().statusCode(200).body("deliveries", hasSize(0));
        as(otherKey).delete("/v1/webhooks/" + hook).then().statusCode(404);
        String mine = as(key).get("/v1/webhooks/signing-secret").then().extract().path("secret");
        String theirs = as(otherKey).get("/v1/webhooks/signing-secret").then().extract().path("secret");
        assertTrue(!mine.equals(theirs), "a secret per tenant");
        as(key).get("/v1/webhooks").then().statusCode(200).body("id", contains(hook));
        AccountApi.admin().get("/v1/webhooks").then().statusCode(403);
        io.restassured.RestAssured.given().get("/v1/webhooks").then().statusCode(401);
        as(key).delete("/v1/webhooks/" + hook).then().statusCode(204);
        as(key).get("/v1/webhooks").then().statusCode(200).body("$", hasSize(0));
    }

    @Test
    void rotatingTheSecretSignsLaterDeliveriesWithTheNewOne() throws Exception {
        register("/ok", List.of("call.initiated"));
        String old = as(key).get("/v1/webhooks/signing-secret").then().extract().path("secret");
        String fresh = as(key).post("/v1/webhooks/signing-secret/rotate").then().statusCode(200).extract().path("secret");
        assertTrue(!old.equals(fresh));
        writer.store(answeredCall("rot-call-" + tenant).subList(0, 1), List.of(), List.of());
        awaitDelivered(1);
        Received r = received.get(0);
        assertTrue(WebhookSignature.verify(fresh, r.headers().get("webcall-signature"),
                r.body().getBytes(StandardCharsets.UTF_8), Instant.now(), Duration.ofMinutes(5)));
    }

    void awaitDelivered(int count) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (received.stream().filter(r -> r.answered() == 204).count() < count && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        // a moment for the dispatcher to record the outcome
        long until = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < until) {
            List<String> statuses = as(key).get("/v1/webhooks/deliveries").then().extract().path("deliveries.status");
            if (statuses.size() >= count && statuses.stream().filter("delivered"::equals).count() >= count) {
                return;
            }
            Thread.sleep(50);
        }
    }
}
