package io.webcall.signaling.registrar;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.json.JsonObject;
import io.webcall.events.EventPublisher;
import io.webcall.events.Topics;
import io.webcall.signaling.EdgeConfig;
import io.webcall.signaling.events.CallEvents;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Shares bindings between edge instances through the compacted topic {@code sip-registrations}: this edge's
 * bindings are published (key {@code <aor>|<instance-or-contact>}, JSON value, null tombstone on removal) and every
 * other edge's bindings are read into the {@link LocationService}, so a user registered on one edge is reachable
 * from all. Publishing goes through the shared non-blocking publisher; reading runs on its own thread.
 */
@ApplicationScoped
public class BindingReplication {

    private static final Logger LOG = Logger.getLogger(BindingReplication.class);

    @Inject
    LocationService location;
    @Inject
    CallEvents events;
    @Inject
    EdgeConfig config;
    @ConfigProperty(name = "kafka.bootstrap.servers")
    Optional<String> bootstrap;

    /** This edge's bindings as last published, by key: refreshes that change nothing else are not republished. */
    private final Map<String, Binding> published = new java.util.concurrent.ConcurrentHashMap<>();
    private volatile boolean running;
    private KafkaConsumer<String, byte[]> consumer;
    private Thread reader;

    void onStart(@Observes StartupEvent ev) {
        EventPublisher publisher = events.publisher();
        if (publisher == null || bootstrap.isEmpty()) {
            return;
        }
        String own = config.kafka().instanceId();
        location.addListener(change -> {
            Binding b = change.binding();
            if (change.removed()) {
                published.remove(b.key());
            } else {
                Binding last = published.get(b.key());
                if (!needsPublishing(last, b, System.currentTimeMillis())) {
                    return;
                }
                published.put(b.key(), b);
            }
            byte[] value = change.removed() ? null : b.toJson().encode().getBytes(StandardCharsets.UTF_8);
            if (!publisher.publish(Topics.SIP_REGISTRATIONS, b.key(), value)) {
                published.remove(b.key());
                LOG.warnf("Binding %s not published: buffer full", b.key());
            }
        });
        consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap.get(),
                ConsumerConfig.GROUP_ID_CONFIG, "edge-bindings-" + own + "-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName(),
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName()));
        running = true;
        reader = new Thread(() -> read(own), "edge-binding-reader");
        reader.setDaemon(true);
        reader.start();
    }

    private void read(String own) {
        try {
            ensureTopic();
            consumer.subscribe(List.of(Topics.SIP_REGISTRATIONS));
            while (running) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    apply(r.key(), r.value(), own);
                }
            }
        } catch (WakeupException e) {
            // shutting down
        } catch (RuntimeException e) {
            LOG.errorf(e, "Binding replication stopped");
        } finally {
            consumer.close();
        }
    }

    /** Creates the topic as a compacted one when it does not exist yet. */
    private void ensureTopic() {
        try (org.apache.kafka.clients.admin.Admin admin = org.apache.kafka.clients.admin.Admin.create(
                Map.of(org.apache.kafka.clients.admin.AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap.get()))) {
            org.apache.kafka.clients.admin.NewTopic topic = new org.apache.kafka.clients.admin.NewTopic(Topics.SIP_REGISTRATIONS,
                    java.util.Optional.empty(), java.util.Optional.empty())
                    .configs(Map.of("cleanup.policy", "compact"));
            admin.createTopics(List.of(topic)).all().get(15, java.util.concurrent.TimeUnit.SECONDS);
            LOG.infof("Created compacted topic %s", Topics.SIP_REGISTRATIONS);
        } catch (java.util.concurrent.ExecutionException e) {
            if (!(e.getCause() instanceof org.apache.kafka.common.errors.TopicExistsException)) {
                LOG.warnf("Cannot create topic %s: %s", Topics.SIP_REGISTRATIONS, e.getCause().toString());
            }
        } catch (Exception e) {
            LOG.warnf("Cannot create topic %s: %s", Topics.SIP_REGISTRATIONS, e.toString());
        }
    }

    /**
     * Whether a binding put by this edge goes on the topic. A refresh (RFC 3261 section 10.2.4) that changes nothing
     * but the expiry and CSeq is not republished while the copy the other edges hold still has at least half of the
     * new registration interval to run: they keep routing to it, and a later refresh republishes before it lapses.
     * New bindings and any other change (contact, flow, edge, Call-ID) are always published.
     */
    static boolean needsPublishing(Binding lastPublished, Binding b, long nowMillis) {
        if (lastPublished == null) {
            return true;
        }
        Binding sameRefresh = new Binding(b.aor(), b.contact(), b.instanceId(), b.regId(), b.flowId(), b.transport(), b.sourceHost(),
                b.sourcePort(), b.edgeId(), b.edgeSipUri(), b.tenantId(), lastPublished.expiresAt(), b.callId(), lastPublished.cseq());
        if (!sameRefresh.equals(lastPublished)) {
            return true;
        }
        long publishedLeft = lastPublished.expiresAt() - nowMillis;
        long newLeft = b.expiresAt() - nowMillis;
        return publishedLeft < newLeft / 2;
    }

    /** Applies one record of the topic: bindings of other edges are added, tombstones remove them. */
    void apply(String key, byte[] value, String own) {
        if (key == null) {
            return;
        }
        if (value == null) {
            boolean ownKey = location.all().stream().flatMap(m -> m.values().stream())
                    .anyMatch(b -> b.key().equals(key) && own.equals(b.edgeId()));
            if (!ownKey) {
                location.removeKey(key);
            }
            return;
        }
        try {
            Binding b = Binding.fromJson(new JsonObject(new String(value, StandardCharsets.UTF_8)));
            if (!own.equals(b.edgeId()) && b.expiresAt() > System.currentTimeMillis()) {
                location.put(b, false);
            }
        } catch (RuntimeException e) {
            LOG.warnf("Ignoring malformed binding record %s: %s", key, e.getMessage());
        }
    }

    void onStop(@Observes ShutdownEvent ev) {
        running = false;
        if (consumer != null) {
            consumer.wakeup();
        }
    }
}
