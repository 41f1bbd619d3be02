package io.webcall.signaling.registrar;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonObject;
import io.webcall.events.EventJson;
import io.webcall.events.Topics;
import io.webcall.infra.test.KafkaTestResource;
import io.webcall.signaling.testsupport.AccountServiceProcess;
import io.webcall.signaling.testsupport.KafkaEdgeTestResource;
import io.webcall.signaling.testsupport.NodeUa;
import io.webcall.signaling.testsupport.Sipp;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Bindings travel over the compacted {@code sip-registrations} topic of a real (embedded) Kafka broker: this
 * edge publishes its own, and routes calls to users registered on another edge instance through that edge,
 * with the flow token in the Route header. The other edge is played by sipp listening at the advertised address.
 */
@QuarkusTest
@QuarkusTestResource(value = KafkaTestResource.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(value = KafkaEdgeTestResource.class, restrictToAnnotatedClass = true)
class BindingReplicationTest {

    static final Duration T = Duration.ofSeconds(20);

    @TestHTTPResource("/sip")
    URL sip;
    @Inject
    LocationService location;

    String ws() {
        return sip.toString().replace("http://", "ws://");
    }

    @Test
    void ownBindingIsPublishedAndTombstonedWhenTheSocketCloses() throws Exception {
        try (KafkaConsumer<String, byte[]> consumer = consumer()) {
            NodeUa alice = NodeUa.jssip("alice-kafka", ws(), "alice", KafkaEdgeTestResource.account().token("alice"), null);
            alice.register(T);
            ConsumerRecord<String, byte[]> added = awaitRecord(consumer, "sip:alice@demo.localhost|", false);
            JsonObject b = new JsonObject(new String(added.value(), StandardCharsets.UTF_8));
            assertEquals("edge-a", b.getString("edgeId"));
            assertEquals("WS", b.getString("transport"));
            alice.crash();
            ConsumerRecord<String, byte[]> removed = awaitRecord(consumer, added.key(), true);
            assertEquals(added.key(), removed.key());
        }
    }

    @Test
    void callToUserRegisteredOnAnotherEdgeGoesThroughThatEdgeWithTheFlowToken() throws Exception {
        int otherEdgePort = Sipp.freeUdpPort();
        try (Sipp otherEdge = Sipp.uas("remote-edge-answers.xml", otherEdgePort);
             KafkaProducer<String, byte[]> producer = producer()) {
            Binding remote = new Binding("sip:bob@demo.localhost", "sip:bob@remote123.invalid;transport=ws",
                    "<urn:uuid:" + UUID.randomUUID() + ">", 1, "wsREMOTEFLOW", "WS", "127.0.0.1", 40000, "edge-b",
                    "sip:127.0.0.1:" + otherEdgePort, KafkaEdgeTestResource.account().tenantId(AccountServiceProcess.DOMAIN), System.currentTimeMillis() + 300_000,
                    "remote-call-id", 1);
            producer.send(new ProducerRecord<>(Topics.SIP_REGISTRATIONS, remote.key(),
                    remote.toJson().encode().getBytes(StandardCharsets.UTF_8))).get();
            long deadline = System.currentTimeMillis() + 10_000;
            while (location.lookup("sip:bob@demo.localhost").stream().noneMatch(x -> "edge-b".equals(x.edgeId()))
                    && System.currentTimeMillis() < deadline) {
                Thread.sleep(50);
            }
            assertTrue(location.lookup("sip:bob@demo.localhost").stream().anyMatch(x -> "edge-b".equals(x.edgeId())),
                    "the other edge's binding was learnt from Kafka");
            try (NodeUa alice = NodeUa.jssip("alice-2edge", ws(), "alice", KafkaEdgeTestResource.account().token("alice"), null)) {
                alice.register(T);
                alice.send(new JsonObject().put("cmd", "call").put("target", "sip:bob@demo.localhost"));
                assertTrue(otherEdge.succeeded(30), "the other edge got the INVITE with its flow token: " + otherEdge.errors());
            }
        }
    }

    KafkaConsumer<String, byte[]> consumer() {
        KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaTestResource.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "test-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName(),
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName()));
        c.subscribe(List.of(Topics.SIP_REGISTRATIONS));
        return c;
    }

    KafkaProducer<String, byte[]> producer() {
        return new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaTestResource.bootstrapServers(),
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName(),
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName()));
    }

    static ConsumerRecord<String, byte[]> awaitRecord(KafkaConsumer<String, byte[]> c, String keyPrefix, boolean tombstone) {
        long deadline = System.currentTimeMillis() + 20_000;
        List<String> seen = new ArrayList<>();
        while (System.currentTimeMillis() < deadline) {
            for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(200))) {
                seen.add(r.key() + (r.value() == null ? "=null" : ""));
                if (r.key() != null && r.key().startsWith(keyPrefix) && (r.value() == null) == tombstone) {
                    return r;
                }
            }
        }
        throw new AssertionError("no " + (tombstone ? "tombstone" : "record") + " for " + keyPrefix + "; saw " + seen);
    }
}
