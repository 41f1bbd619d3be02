package io.webcall.relay.session;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.webcall.relay.config.RelayConfig;
import io.webcall.relay.stats.RelayMetrics;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.util.Optional;
import java.util.Properties;

/**
 * Publishes per-call media figures to the {@code media-stats} Kafka topic (key = Call-ID): periodically
 * while a call runs ({@code event=stats}), when media stops ({@code event=no-media}, for the signaling edge
 * to act on), when media fails ({@code event=failed}) and when the session ends ({@code event=ended},
 * {@code finalReport=true}). Without {@code kafka.bootstrap.servers} nothing is published.
 */
@ApplicationScoped
public class SessionEvents {

    private static final Logger LOG = Logger.getLogger(SessionEvents.class);

    private final RelayConfig config;
    private final RelayMetrics metrics;
    private final ObjectMapper mapper;
    private final KafkaProducer<String, String> producer;

    public SessionEvents(RelayConfig config, RelayMetrics metrics, ObjectMapper mapper,
                         @ConfigProperty(name = "kafka.bootstrap.servers") Optional<String> bootstrap) {
        this.config = config;
        this.metrics = metrics;
        this.mapper = mapper;
        if (config.stats().publish() && bootstrap.isPresent() && !bootstrap.get().isBlank()) {
            Properties props = new Properties();
            props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap.get());
            props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
            props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
            props.put(ProducerConfig.ACKS_CONFIG, "1");
            props.put(ProducerConfig.LINGER_MS_CONFIG, "20");
            props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "5000");
            props.put(ProducerConfig.CLIENT_ID_CONFIG, "media-relay");
            producer = new KafkaProducer<>(props);
        } else {
            producer = null;
            LOG.info("media statistics are not published (no kafka.bootstrap.servers or publishing disabled)");
        }
    }

    public void periodic(MediaSession session) {
        publish(SessionSnapshot.of(session, "stats", false, null));
    }

    public void noMedia(MediaSession session) {
        metrics.noMedia();
        LOG.warnf("call %s: no media for %s", session.callId(), config.timeouts().noMedia());
        publish(SessionSnapshot.of(session, "no-media", false, "no media for " + config.timeouts().noMedia()));
    }

    public void failed(MediaSession session, String reason) {
        publish(SessionSnapshot.of(session, "failed", false, reason));
    }

    public void ended(MediaSession session, String reason) {
        publish(SessionSnapshot.of(session, "ended", true, reason));
    }

    private void publish(SessionSnapshot snapshot) {
        if (producer == null) {
            return;
        }
        try {
            producer.send(new ProducerRecord<>(config.stats().topic(), snapshot.callId(),
                    mapper.writeValueAsString(snapshot)), (meta, error) -> {
                        if (error != null) {
                            LOG.warnf("media stats for %s not published: %s", snapshot.callId(), error.getMessage());
                        }
                    });
        } catch (Exception e) {
            LOG.warnf("media stats for %s not published: %s", snapshot.callId(), e.getMessage());
        }
    }

    @PreDestroy
    void close() {
        if (producer != null) {
            producer.close(java.time.Duration.ofSeconds(2));
        }
    }
}
