package io.webcall.events;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * Settings of an {@link EventPublisher}.
 *
 * @param bootstrapServers Kafka {@code host:port} list (config key {@code kafka.bootstrap.servers} in the services)
 * @param clientId         Kafka client id, shows up in broker logs and metrics
 * @param bufferCapacity   most events held while not yet acknowledged by Kafka (waiting or in flight);
 *                         once full, new events are refused (counted as dropped) instead of blocking
 * @param retryBackoff     pause before retrying after Kafka refused or timed out
 * @param extraProperties  further producer properties (override the defaults, except the ones that
 *                         make delivery idempotent: acks, enable.idempotence, serializers)
 */
public record EventPublisherConfig(String bootstrapServers, String clientId, int bufferCapacity,
                                   Duration retryBackoff, Map<String, Object> extraProperties) {

    public static final int DEFAULT_BUFFER_CAPACITY = 100_000;

    public EventPublisherConfig {
        Objects.requireNonNull(bootstrapServers, "bootstrapServers");
        Objects.requireNonNull(clientId, "clientId");
        if (bufferCapacity < 1) {
            throw new IllegalArgumentException("bufferCapacity must be positive");
        }
        retryBackoff = retryBackoff == null ? Duration.ofMillis(500) : retryBackoff;
        extraProperties = extraProperties == null ? Map.of() : Map.copyOf(extraProperties);
    }

    /** Defaults: 100,000 events of buffer, 500 ms retry backoff. */
    public static EventPublisherConfig of(String bootstrapServers, String clientId) {
        return new EventPublisherConfig(bootstrapServers, clientId, DEFAULT_BUFFER_CAPACITY, null, null);
    }

    public EventPublisherConfig withBufferCapacity(int capacity) {
        return new EventPublisherConfig(bootstrapServers, clientId, capacity, retryBackoff, extraProperties);
    }

    public EventPublisherConfig withExtraProperties(Map<String, Object> properties) {
        return new EventPublisherConfig(bootstrapServers, clientId, bufferCapacity, retryBackoff, properties);
    }
}
