package io.webcall.signaling.media;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonObject;
import io.webcall.events.CallEvent;
import io.webcall.events.CallEventType;
import io.webcall.events.HangupSide;
import io.webcall.infra.test.KafkaTestResource;
import io.webcall.signaling.events.CallEvents;
import io.webcall.signaling.testsupport.AccountServiceProcess;
import io.webcall.signaling.testsupport.KafkaEdgeTestResource;
import io.webcall.signaling.testsupport.NodeUa;
import jakarta.inject.Inject;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The relay's media alarms on the {@code media-events} topic of a real (embedded) Kafka broker, in the relay's own
 * JSON ({@code {"type","callId","time","reason"}}, key Call-ID): a {@code no-media} alarm ends the running call with
 * BYE to both user agents and an {@code ended} event caused by "no media"; malformed records and alarms for calls
 * the edge does not hold change nothing.
 */
@QuarkusTest
@QuarkusTestResource(value = KafkaTestResource.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(value = KafkaEdgeTestResource.class, restrictToAnnotatedClass = true)
class MediaEventsTest {

    static final Duration T = Duration.ofSeconds(20);
    static final List<CallEvent> EVENTS = new CopyOnWriteArrayList<>();

    @TestHTTPResource("/sip")
    URL sip;
    @Inject
    CallEvents callEvents;
    @Inject
    MediaEventsConsumer consumer;

    String ws() {
        return sip.toString().replace("http://", "ws://");
    }

    NodeUa registered(String name, String user) throws Exception {
        NodeUa ua = NodeUa.jssip(name, ws(), user, KafkaEdgeTestResource.account().token(user), null);
        return ua.register(T);
    }

    @Test
    void noMediaAlarmFromTheRelayEndsTheCallWithByeBothWays() throws Exception {
        callEvents.addListener(EVENTS::add);
        long deadline = System.currentTimeMillis() + 30_000;
        while (!consumer.assigned() && System.currentTimeMillis() < deadline) {
            Thread.sleep(50);
        }
        assertTrue(consumer.assigned(), "the edge reads the media-events topic");
        try (KafkaProducer<String, byte[]> producer = producer();
             NodeUa alice = registered("alice-no-media", "alice");
             NodeUa bob = registered("bob-no-media", "bob")) {
            alice.send(new JsonObject().put("cmd", "call").put("target", "sip:bob@" + AccountServiceProcess.DOMAIN));
            bob.await("incoming", T);
            bob.send("answer");
            alice.await("confirmed", T);
            bob.await("confirmed", T);
            String callId = EVENTS.stream().filter(e -> e.type() == CallEventType.ANSWERED).reduce((x, y) -> y)
                    .orElseThrow(() -> new AssertionError("no answered event: " + EVENTS)).callId();

            send(producer, "not-a-call", "{not json".getBytes(StandardCharsets.UTF_8));
            send(producer, "unknown-call", alarm("unknown-call", "no-media"));
            send(producer, callId, alarm(callId, "no-media"));

            JsonObject aliceEnded = alice.await("ended", T);
            JsonObject bobEnded = bob.await("ended", T);
            assertEquals("remote", aliceEnded.getString("originator"), "the edge's BYE reached the caller: " + aliceEnded);
            assertEquals("remote", bobEnded.getString("originator"), "the edge's BYE reached the callee: " + bobEnded);
            CallEvent ended = EVENTS.stream().filter(e -> e.type() == CallEventType.ENDED && e.callId().equals(callId))
                    .findFirst().orElseThrow(() -> new AssertionError("no ended event for " + callId + ": " + EVENTS));
            assertEquals(MediaEventsConsumer.CAUSE_NO_MEDIA, ended.cause());
            assertEquals(HangupSide.SYSTEM, ended.hangupBy());
        }
    }

    /** An alarm exactly as the media relay publishes it. */
    static byte[] alarm(String callId, String type) {
        return new JsonObject().put("type", type).put("callId", callId).put("time", Instant.now().toString())
                .put("reason", "no media for PT30S").encode().getBytes(StandardCharsets.UTF_8);
    }

    static void send(KafkaProducer<String, byte[]> producer, String key, byte[] value) throws Exception {
        producer.send(new ProducerRecord<>("media-events", key, value)).get();
    }

    static KafkaProducer<String, byte[]> producer() {
        return new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaTestResource.bootstrapServers(),
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName(),
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName()));
    }
}
