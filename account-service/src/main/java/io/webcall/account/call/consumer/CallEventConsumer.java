package io.webcall.account.call.consumer;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.webcall.account.call.CallRecordWriter;
import io.webcall.account.call.CallsConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Consumes {@code call-events} and {@code media-stats} into call records. Each poll is stored in one
 * database transaction ({@link CallRecordWriter}) and only then are its offsets committed, so a crash
 * at any point makes Kafka redeliver what was not stored; redelivery is harmless because storing is
 * idempotent. If storing fails, the same batch is tried again after a pause until it is stored; if the
 * consumer is stopped meanwhile, its offsets stay uncommitted and Kafka redelivers the batch.
 * <p>
 * This class starts and stops the workers ({@link ConsumerWorker}: polling and committing), which
 * decode each poll ({@link DecodedBatch}) and hand it to their store thread ({@link BatchStore}). Each
 * worker fetches and decodes its next poll while the previous one is being stored (one batch in the
 * database at a time per worker, in poll order), so Kafka round trips and JSON decoding overlap with
 * the database work.
 */
@ApplicationScoped
public class CallEventConsumer {

    private static final Logger LOG = Logger.getLogger(CallEventConsumer.class);

    private final CallsConfig config;
    private final Optional<String> bootstrapServers;

    private final BatchStore store;
    private final List<KafkaConsumer<String, byte[]>> consumers = new CopyOnWriteArrayList<>();
    private final List<Thread> threads = new CopyOnWriteArrayList<>();
    private final AtomicInteger alive = new AtomicInteger();
    private volatile boolean running;

    public CallEventConsumer(CallRecordWriter writer, CallsConfig config,
                             @ConfigProperty(name = "kafka.bootstrap.servers") Optional<String> bootstrapServers,
                             MeterRegistry metrics) {
        this.config = config;
        this.bootstrapServers = bootstrapServers;
        this.store = new BatchStore(writer, config.consumer(), metrics, () -> running);
    }

    void onStart(@Observes StartupEvent event) {
        if (!config.consumer().enabled()) {
            LOG.info("call record consumer disabled (webcall.calls.consumer.enabled=false)");
        } else if (bootstrapServers.isEmpty()) {
            LOG.warn("call record consumer not started: kafka.bootstrap.servers is not set");
        } else {
            start();
        }
    }

    void onStop(@Observes ShutdownEvent event) {
        stop();
    }

    /** Starts consuming (no-op when already running). */
    public synchronized void start() {
        if (running) {
            return;
        }
        String servers = bootstrapServers.orElseThrow(() -> new IllegalStateException("kafka.bootstrap.servers is not set"));
        Map<String, Object> props = new HashMap<>();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, servers);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, config.consumer().groupId());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, config.consumer().maxBatch());
        // wait briefly for a fuller batch: one transaction per few thousand events, not per event
        props.put(ConsumerConfig.FETCH_MIN_BYTES_CONFIG, 256 * 1024);
        props.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, (int) config.consumer().batchWait().toMillis());
        props.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 4 * 1024 * 1024);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 1000);
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        running = true;
        int workers = Math.max(1, config.consumer().threads());
        for (int i = 0; i < workers; i++) {
            Map<String, Object> own = new HashMap<>(props);
            own.put(ConsumerConfig.CLIENT_ID_CONFIG, "account-call-records-" + i);
            KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(own);
            consumers.add(consumer);
            String name = "call-record-consumer-" + i;
            ConsumerWorker worker = new ConsumerWorker(consumer, name, store, config.consumer().pollTimeout(),
                    () -> running);
            Thread thread = new Thread(() -> {
                try {
                    worker.run();
                } finally {
                    alive.decrementAndGet();
                }
            }, name);
            thread.setDaemon(true);
            threads.add(thread);
            alive.incrementAndGet();
            thread.start();
        }
        LOG.infof("call record consumer started (group %s, %d workers, servers %s)", config.consumer().groupId(),
                workers, servers);
    }

    /** Stops consuming; what was polled but not stored is redelivered to the next consumer. */
    public synchronized void stop() {
        if (!running) {
            return;
        }
        running = false;
        consumers.forEach(KafkaConsumer::wakeup);
        for (Thread thread : threads) {
            try {
                thread.join(30_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        consumers.clear();
        threads.clear();
        LOG.info("call record consumer stopped");
    }

    /** True while started and every worker is alive. */
    public boolean isRunning() {
        return running && alive.get() == threads.size();
    }

    /** Whether this instance is configured to consume (enabled and Kafka configured). */
    public boolean isExpectedToRun() {
        return config.consumer().enabled() && bootstrapServers.isPresent();
    }

    /** Messages stored since start (events, media reports and rejected ones). */
    public long storedMessages() {
        return store.storedMessages();
    }

    public long storedBatches() {
        return store.storedBatches();
    }
}
