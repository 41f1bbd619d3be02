package io.webcall.events;

import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Publishes events to Kafka without ever blocking the caller, so a Kafka outage cannot hold up a call.
 * <p>
 * {@link #publish} puts the event in a bounded in-memory buffer and returns at once. One sender thread
 * hands buffered events to an idempotent producer ({@code acks=all}, {@code enable.idempotence=true}):
 * the broker drops duplicates caused by the producer's own retries, and every partition keeps the
 * order the events were sent in. While Kafka is unreachable, events stay buffered and are retried
 * (also after the producer's delivery timeout), so they arrive once Kafka is back. Only when the buffer
 * is full are new events refused ({@link Stats#dropped()}); events are never silently discarded otherwise,
 * except ones Kafka rejects for good (e.g. too large), which are logged and counted as failed.
 * <p>
 * Consumers still see duplicates in rare cases (an event re-sent after a delivery timeout whose first
 * attempt did reach the broker) and must deduplicate by event id, as the contract says.
 */
public final class EventPublisher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EventPublisher.class);

    private final Producer<String, byte[]> producer;
    private final LinkedBlockingDeque<Pending> queue = new LinkedBlockingDeque<>();
    private final Semaphore capacity;
    private final int bufferCapacity;
    private final long retryBackoffMillis;
    private final Thread sender;
    private final AtomicBoolean accepting = new AtomicBoolean(true);
    private volatile boolean running = true;

    private final AtomicLong accepted = new AtomicLong();
    private final AtomicLong delivered = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong retried = new AtomicLong();

    private record Pending(String topic, String key, byte[] value) {
    }

    /** Figures since start. {@code pending} = accepted but not yet acknowledged (buffered or in flight). */
    public record Stats(long accepted, long delivered, long pending, long dropped, long failed, long retried) {
    }

    private EventPublisher(EventPublisherConfig config) {
        this.bufferCapacity = config.bufferCapacity();
        this.capacity = new Semaphore(config.bufferCapacity());
        this.retryBackoffMillis = config.retryBackoff().toMillis();
        this.producer = new KafkaProducer<>(producerProperties(config));
        this.sender = new Thread(this::sendLoop, "event-publisher-" + config.clientId());
        this.sender.setDaemon(true);
    }

    /** Creates the producer and starts the sender thread. Does not wait for Kafka to be reachable. */
    public static EventPublisher start(EventPublisherConfig config) {
        EventPublisher publisher = new EventPublisher(config);
        publisher.sender.start();
        return publisher;
    }

    static Map<String, Object> producerProperties(EventPublisherConfig config) {
        Map<String, Object> props = new HashMap<>();
        props.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, 64 * 1024);
        props.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5);
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000);
        props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 5_000);
        props.put(ProducerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 1_000);
        props.putAll(config.extraProperties());
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
        props.put(ProducerConfig.CLIENT_ID_CONFIG, config.clientId());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.RETRIES_CONFIG, Integer.MAX_VALUE);
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        return props;
    }

    /** Buffers a call event for {@link Topics#CALL_EVENTS} (key = call id). False when the buffer is full. */
    public boolean publish(CallEvent event) {
        return publish(Topics.CALL_EVENTS, event.callId(), EventJson.encode(event));
    }

    /** Buffers a media report for {@link Topics#MEDIA_STATS} (key = call id). False when the buffer is full. */
    public boolean publish(MediaStats stats) {
        return publish(Topics.MEDIA_STATS, stats.callId(), EventJson.encode(stats));
    }

    /**
     * Buffers any record (e.g. registration bindings; {@code value} null for a tombstone).
     * Never blocks; false when the buffer is full or the publisher is closed.
     */
    public boolean publish(String topic, String key, byte[] value) {
        if (!accepting.get() || !capacity.tryAcquire()) {
            dropped.incrementAndGet();
            return false;
        }
        accepted.incrementAndGet();
        queue.addLast(new Pending(topic, key, value));
        return true;
    }

    public Stats stats() {
        long pending = bufferCapacity - capacity.availablePermits();
        return new Stats(accepted.get(), delivered.get(), pending, dropped.get(), failed.get(), retried.get());
    }

    /** Waits until every accepted event is acknowledged (or failed for good). False on timeout. */
    public boolean flush(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (capacity.availablePermits() < bufferCapacity) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(10);
        }
        return true;
    }

    /** Stops accepting, tries to deliver what is buffered within {@code timeout}, then closes the producer. */
    public void close(Duration timeout) {
        accepting.set(false);
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            flush(timeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        running = false;
        sender.interrupt();
        try {
            sender.join(1_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        long remaining = Math.max(0, deadline - System.nanoTime());
        producer.close(Duration.ofNanos(remaining));
        Stats stats = stats();
        if (stats.pending() > 0) {
            LOG.warn("event publisher closed with {} events not delivered", stats.pending());
        }
    }

    @Override
    public void close() {
        close(Duration.ofSeconds(10));
    }

    private void sendLoop() {
        while (running) {
            Pending pending;
            try {
                pending = queue.pollFirst(200, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                if (!running) {
                    return;
                }
                continue;
            }
            if (pending == null) {
                continue;
            }
            try {
                producer.send(new ProducerRecord<>(pending.topic(), pending.key(), pending.value()), callback(pending));
            } catch (RuntimeException e) {
                // Typically metadata not available within max.block.ms while Kafka is down.
                retried.incrementAndGet();
                queue.addFirst(pending);
                LOG.debug("send to {} not possible yet, retrying: {}", pending.topic(), e.toString());
                pause();
            }
        }
    }

    private Callback callback(Pending pending) {
        return (metadata, exception) -> {
            if (exception == null) {
                delivered.incrementAndGet();
                capacity.release();
            } else if (exception instanceof RetriableException && running) {
                retried.incrementAndGet();
                // Back to the head: it was accepted before everything still waiting.
                queue.addFirst(pending);
            } else {
                failed.incrementAndGet();
                capacity.release();
                LOG.error("event for {} key {} not delivered: {}", pending.topic(), pending.key(), exception.toString());
            }
        };
    }

    private void pause() {
        try {
            Thread.sleep(retryBackoffMillis);
        } catch (InterruptedException e) {
            // woken by close(): the loop condition decides
        }
    }
}
