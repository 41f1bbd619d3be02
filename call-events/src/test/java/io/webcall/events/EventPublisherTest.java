package io.webcall.events;

import io.webcall.infra.EmbeddedKafkaBroker;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EventPublisherTest {

    static EmbeddedKafkaBroker broker;

    @BeforeAll
    static void startBroker() throws Exception {
        broker = EmbeddedKafkaBroker.start();
    }

    @AfterAll
    static void stopBroker() throws Exception {
        broker.close();
    }

    static List<CallEvent> callEvents(String callId, UUID tenant) {
        List<CallEvent> events = new ArrayList<>();
        CallEventType[] types = CallEventType.values();
        for (int i = 0; i < types.length; i++) {
            events.add(CallEvent.builder(types[i], callId, tenant, i + 1)
                    .from("sip:alice@demo.localhost").to("sip:bob@demo.localhost").user("alice")
                    .direction(CallDirection.INTERNAL).build());
        }
        return events;
    }

    static List<CallEvent> readCallEvents(String bootstrap, String topic, int expected, Duration timeout) {
        Map<String, Object> props = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG, "reader-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName(),
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        List<CallEvent> events = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props)) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + timeout.toNanos();
            java.util.Set<UUID> distinct = new java.util.HashSet<>();
            while (distinct.size() < expected && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    CallEvent e = EventJson.decodeCallEvent(r.value());
                    assertEquals(e.callId(), r.key(), "record key is the call id");
                    events.add(e);
                    distinct.add(e.eventId());
                }
            }
        }
        return events;
    }

    @Test
    void deliversEveryEventOnceKeyedByCallIdInPerCallOrder() throws Exception {
        String topic = "publisher-order-" + UUID.randomUUID();
        UUID tenant = UUID.randomUUID();
        List<CallEvent> sent = new ArrayList<>();
        try (EventPublisher publisher = EventPublisher.start(EventPublisherConfig.of(broker.bootstrapServers(), "test"))) {
            for (int call = 0; call < 50; call++) {
                for (CallEvent e : callEvents("call-" + call, tenant)) {
                    assertTrue(publisher.publish(topic, e.callId(), EventJson.encode(e)));
                    sent.add(e);
                }
            }
            assertTrue(publisher.flush(Duration.ofSeconds(30)), "all events acknowledged");
            EventPublisher.Stats stats = publisher.stats();
            assertEquals(sent.size(), stats.delivered());
            assertEquals(0, stats.pending());
            assertEquals(0, stats.dropped());
        }
        List<CallEvent> received = readCallEvents(broker.bootstrapServers(), topic, sent.size(), Duration.ofSeconds(30));
        assertEquals(sent.size(), received.size());
        assertEquals(sent.stream().map(CallEvent::eventId).distinct().count(),
                received.stream().map(CallEvent::eventId).distinct().count());
        for (int call = 0; call < 50; call++) {
            String callId = "call-" + call;
            List<Long> seqs = received.stream().filter(e -> e.callId().equals(callId)).map(CallEvent::seq).toList();
            assertEquals(List.of(1L, 2L, 3L, 4L), seqs, "order of " + callId);
        }
    }

    @Test
    void publishNeverBlocksWhileKafkaIsUnreachableAndRefusesBeyondTheBuffer() throws Exception {
        int deadPort = freePort();
        EventPublisherConfig config = EventPublisherConfig.of("127.0.0.1:" + deadPort, "outage")
                .withBufferCapacity(100)
                .withExtraProperties(Map.of("max.block.ms", 60_000));
        EventPublisher publisher = EventPublisher.start(config);
        try {
            UUID tenant = UUID.randomUUID();
            int accepted = 0;
            int refused = 0;
            long started = System.nanoTime();
            for (int i = 0; i < 150; i++) {
                boolean ok = publisher.publish(CallEvent.builder(CallEventType.INITIATED, "c" + i, tenant, 1).build());
                if (ok) {
                    accepted++;
                } else {
                    refused++;
                }
            }
            long elapsedMillis = (System.nanoTime() - started) / 1_000_000;
            // the producer would block up to max.block.ms (60 s) per send waiting for metadata
            assertTrue(elapsedMillis < 5_000, "publish returned without waiting for Kafka (" + elapsedMillis + " ms)");
            assertEquals(100, accepted);
            assertEquals(50, refused);
            EventPublisher.Stats stats = publisher.stats();
            assertEquals(100, stats.pending());
            assertEquals(50, stats.dropped());
            assertFalse(publisher.flush(Duration.ofMillis(300)), "nothing can be acknowledged without a broker");
        } finally {
            publisher.close(Duration.ofMillis(500));
        }
    }

    @Test
    void eventsPublishedWhileTheBrokerIsDownArriveAfterItIsBack() throws Exception {
        Path dir = Files.createTempDirectory("publisher-outage-");
        EmbeddedKafkaBroker restartable = EmbeddedKafkaBroker.start(dir, 0);
        String servers = restartable.bootstrapServers();
        int port = Integer.parseInt(servers.substring(servers.lastIndexOf(':') + 1));
        String topic = "publisher-outage-" + UUID.randomUUID();
        UUID tenant = UUID.randomUUID();
        List<CallEvent> sent = new ArrayList<>();
        EventPublisher publisher = EventPublisher.start(EventPublisherConfig.of(servers, "outage-recovery"));
        try {
            for (CallEvent e : callEvents("before", tenant)) {
                publisher.publish(topic, e.callId(), EventJson.encode(e));
                sent.add(e);
            }
            assertTrue(publisher.flush(Duration.ofSeconds(30)));
            restartable.close();

            for (int call = 0; call < 50; call++) {
                for (CallEvent e : callEvents("during-" + call, tenant)) {
                    assertTrue(publisher.publish(topic, e.callId(), EventJson.encode(e)), "accepted while Kafka is down");
                    sent.add(e);
                }
            }
            assertFalse(publisher.flush(Duration.ofSeconds(1)), "held in the buffer while Kafka is down");
            assertTrue(publisher.stats().pending() > 0);

            restartable = EmbeddedKafkaBroker.start(dir, port);
            assertTrue(publisher.flush(Duration.ofSeconds(60)), "buffered events delivered once Kafka is back");
            assertEquals(0, publisher.stats().dropped());
            List<CallEvent> received = readCallEvents(servers, topic, sent.size(), Duration.ofSeconds(30));
            assertEquals(sent.stream().map(CallEvent::eventId).collect(java.util.stream.Collectors.toSet()),
                    received.stream().map(CallEvent::eventId).collect(java.util.stream.Collectors.toSet()),
                    "every event arrived");
        } finally {
            publisher.close(Duration.ofSeconds(2));
            restartable.close();
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
