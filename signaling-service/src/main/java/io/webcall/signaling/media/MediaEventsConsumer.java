package io.webcall.signaling.media;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.json.JsonObject;
import io.webcall.signaling.EdgeConfig;
import io.webcall.signaling.dialog.CallControl;
import io.webcall.signaling.dialog.Dialog;
import io.webcall.signaling.dialog.DialogStore;
import io.webcall.signaling.logging.CallMdc;
import io.webcall.signaling.transport.SipTransports;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Acts on the media relay's alarms from the {@code media-events} topic ({@code {"type":"no-media"|"failed",
 * "callId","time","reason"}}, key Call-ID): a call whose media stopped ({@code no-media}) or can no longer flow
 * ({@code failed}) is ended by the edge holding it, with BYE to both sides and an {@code ended} call event. Every
 * edge reads every alarm (own consumer group, from the end of the topic) and ignores calls it does not hold.
 */
@ApplicationScoped
public class MediaEventsConsumer {

    private static final Logger LOG = Logger.getLogger(MediaEventsConsumer.class);

    /** Cause of the {@code ended} event of a call whose media stopped. */
    public static final String CAUSE_NO_MEDIA = "no media";
    /** Cause of the {@code ended} event of a call whose media failed (DTLS, ICE). */
    public static final String CAUSE_MEDIA_FAILED = "media failed";

    @Inject
    EdgeConfig config;
    @Inject
    DialogStore dialogs;
    @Inject
    CallControl calls;
    @Inject
    SipTransports transports;
    @ConfigProperty(name = "kafka.bootstrap.servers")
    Optional<String> bootstrap;

    private volatile boolean running;
    private volatile boolean assigned;
    private KafkaConsumer<String, byte[]> consumer;

    void onStart(@Observes StartupEvent ev) {
        if (!config.kafka().enabled() || bootstrap.isEmpty()) {
            return;
        }
        consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap.get(),
                ConsumerConfig.GROUP_ID_CONFIG, "edge-media-events-" + config.kafka().instanceId() + "-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName(),
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName()));
        running = true;
        Thread reader = new Thread(this::read, "edge-media-events-reader");
        reader.setDaemon(true);
        reader.start();
    }

    /** True once the consumer reads its partitions (alarms published from then on are seen). */
    public boolean assigned() {
        return assigned;
    }

    private void read() {
        try {
            ensureTopic();
            consumer.subscribe(List.of(config.media().eventsTopic()), new ConsumerRebalanceListener() {
                @Override
                public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                    assigned = false;
                }

                @Override
                public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                    assigned = !partitions.isEmpty();
                }
            });
            while (running) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    onRecord(r.key(), r.value());
                }
            }
        } catch (WakeupException e) {
            // shutting down
        } catch (RuntimeException e) {
            LOG.errorf(e, "Media events consumer stopped");
        } finally {
            consumer.close(Duration.ofSeconds(2));
        }
    }

    /** Creates the topic when it does not exist yet, so the consumer is assigned at once. */
    private void ensureTopic() {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap.get()))) {
            admin.createTopics(List.of(new NewTopic(config.media().eventsTopic(), Optional.empty(), Optional.empty())))
                    .all().get(15, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                LOG.warnf("Cannot create topic %s: %s", config.media().eventsTopic(), e.getCause().toString());
            }
        } catch (Exception e) {
            LOG.warnf("Cannot create topic %s: %s", config.media().eventsTopic(), e.toString());
        }
    }

    /** One alarm: parsed here, acted on in the core event loop that owns the calls. */
    void onRecord(String key, byte[] value) {
        if (value == null) {
            return;
        }
        JsonObject event;
        try {
            event = new JsonObject(new String(value, StandardCharsets.UTF_8));
        } catch (RuntimeException e) {
            LOG.warnf("Ignoring malformed media event %s: %s", key, e.getMessage());
            return;
        }
        String callId = event.getString("callId", key);
        String type = event.getString("type");
        String cause;
        if ("no-media".equals(type)) {
            cause = CAUSE_NO_MEDIA;
        } else if ("failed".equals(type)) {
            cause = CAUSE_MEDIA_FAILED;
        } else {
            return;
        }
        if (callId == null) {
            return;
        }
        transports.core().runOnContext(CallMdc.forCall(callId, v -> {
            Dialog d = dialogs.get(callId);
            if (d == null || d.state != Dialog.State.CONFIRMED) {
                return;
            }
            LOG.infof("Relay reports %s for %s (%s); ending the call", type, callId, event.getString("reason"));
            calls.terminate(d, 200, cause);
        }));
    }

    void onStop(@Observes ShutdownEvent ev) {
        running = false;
        if (consumer != null) {
            consumer.wakeup();
        }
    }
}
