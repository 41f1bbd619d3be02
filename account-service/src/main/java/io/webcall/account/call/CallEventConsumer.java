package io.webcall.account.call;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.webcall.events.CallEvent;
import io.webcall.events.EventFormatException;
import io.webcall.events.EventJson;
import io.webcall.events.MediaStats;
import io.webcall.events.Topics;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Consumes {@code call-events} and {@code media-stats} into call records. Each poll is stored in one
 * database transaction ({@link CallRecordWriter}) and only then are its offsets committed, so a crash
 * at any point makes Kafka redeliver what was not stored; redelivery is harmless because storing is
 * idempotent. If storing fails, the same batch is tried again after a pause until it is stored; if the
 * consumer is stopped meanwhile, its offsets stay uncommitted and Kafka redelivers the batch.
 */
@ApplicationScoped
public class CallEventConsumer {

    private static final Logger LOG = Logger.getLogger(CallEventConsumer.class);
    private static final int MAX_CALL_ID = 256;

    private final CallRecordWriter writer;
    private final CallsConfig config;
    private final Optional<String> bootstrapServers;

    private final AtomicLong stored = new AtomicLong();
    private final AtomicLong batches = new AtomicLong();
    private final List<KafkaConsumer<String, byte[]>> consumers = new CopyOnWriteArrayList<>();
    private final List<Thread> threads = new CopyOnWriteArrayList<>();
    private final AtomicInteger alive = new AtomicInteger();
    private volatile boolean running;

    private final Timer batchTimer;
    private final Counter newEvents;
    private final Counter duplicateEvents;
    private final Counter rejectedMessages;

    public CallEventConsumer(CallRecordWriter writer, CallsConfig config,
                             @ConfigProperty(name = "kafka.bootstrap.servers") Optional<String> bootstrapServers,
                             MeterRegistry metrics) {
        this.writer = writer;
        this.config = config;
        this.bootstrapServers = bootstrapServers;
        this.batchTimer = Timer.builder("webcall.calls.batch.store").description("storing one consumed batch")
                .register(metrics);
        this.newEvents = Counter.builder("webcall.calls.events").tag("outcome", "stored")
                .description("call events consumed").register(metrics);
        this.duplicateEvents = Counter.builder("webcall.calls.events").tag("outcome", "duplicate")
                .description("call events consumed").register(metrics);
        this.rejectedMessages = Counter.builder("webcall.calls.events").tag("outcome", "rejected")
                .description("call events consumed").register(metrics);
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
            consumer.subscribe(List.of(Topics.CALL_EVENTS, Topics.MEDIA_STATS));
            consumers.add(consumer);
            Thread thread = new Thread(() -> run(consumer), "call-record-consumer-" + i);
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
        return stored.get();
    }

    public long storedBatches() {
        return batches.get();
    }

    private void run(KafkaConsumer<String, byte[]> c) {
        try {
            while (running) {
                ConsumerRecords<String, byte[]> records;
                try {
                    records = c.poll(config.consumer().pollTimeout());
                } catch (WakeupException e) {
                    break;
                }
                if (records.isEmpty()) {
                    continue;
                }
                if (!storeWithRetry(c, records)) {
                    break;
                }
            }
        } catch (WakeupException e) {
            // stop() during commit or seek
        } catch (RuntimeException e) {
            LOG.error("call record consumer failed", e);
        } finally {
            try {
                c.close(Duration.ofSeconds(5));
            } catch (RuntimeException e) {
                LOG.debug("closing the consumer", e);
            }
            alive.decrementAndGet();
        }
    }

    /** Stores a batch, retrying until it is stored or the consumer is stopped. False when stopped. */
    private boolean storeWithRetry(KafkaConsumer<String, byte[]> c, ConsumerRecords<String, byte[]> records) {
        List<CallEvent> events = new ArrayList<>();
        List<MediaStats> media = new ArrayList<>();
        List<RejectedMessage> rejected = new ArrayList<>();
        decode(records, events, media, rejected);
        while (true) {
            try {
                long started = System.nanoTime();
                CallRecordWriter.Result result = writer.store(events, media, rejected);
                batchTimer.record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
                newEvents.increment(result.newEvents());
                duplicateEvents.increment(result.duplicateEvents());
                rejectedMessages.increment(result.rejected());
                if (LOG.isDebugEnabled()) {
                    LOG.debug("stored batch of " + records.count() + " messages: " + result + " in "
                            + (System.nanoTime() - started) / 1_000_000 + " ms");
                }
                break;
            } catch (Exception e) {
                LOG.warnf("storing %d messages failed, retrying in %s: %s", records.count(),
                        config.consumer().retryBackoff(), e.toString());
                if (!sleep(config.consumer().retryBackoff())) {
                    return false;
                }
            }
        }
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (TopicPartition tp : records.partitions()) {
            List<ConsumerRecord<String, byte[]>> list = records.records(tp);
            offsets.put(tp, new OffsetAndMetadata(list.get(list.size() - 1).offset() + 1));
        }
        try {
            c.commitSync(offsets);
        } catch (WakeupException e) {
            throw e;
        } catch (RuntimeException e) {
            // The batch is stored; after a rebalance it may be redelivered, which storing tolerates.
            LOG.warnf("offset commit failed (the batch is stored and will be skipped as duplicates): %s", e.toString());
        }
        stored.addAndGet(records.count());
        batches.incrementAndGet();
        return true;
    }

    private static void decode(ConsumerRecords<String, byte[]> records, List<CallEvent> events,
                               List<MediaStats> media, List<RejectedMessage> rejected) {
        for (ConsumerRecord<String, byte[]> r : records) {
            try {
                if (Topics.CALL_EVENTS.equals(r.topic())) {
                    CallEvent e = EventJson.decodeCallEvent(r.value());
                    checkCallId(e.callId());
                    events.add(e);
                } else {
                    MediaStats m = EventJson.decodeMediaStats(r.value());
                    checkCallId(m.callId());
                    media.add(m);
                }
            } catch (EventFormatException e) {
                LOG.warnf("rejected message %s-%d@%d: %s", r.topic(), r.partition(), r.offset(), e.getMessage());
                rejected.add(new RejectedMessage(r.topic(), r.partition(), r.offset(), r.key(), r.value(), e.getMessage()));
            }
        }
    }

    private static void checkCallId(String callId) {
        if (callId.length() > MAX_CALL_ID) {
            throw new EventFormatException("callId: longer than " + MAX_CALL_ID + " characters");
        }
    }

    private boolean sleep(Duration d) {
        long until = System.nanoTime() + d.toNanos();
        while (running && System.nanoTime() < until) {
            try {
                Thread.sleep(Math.min(100, d.toMillis()));
            } catch (InterruptedException e) {
                return false;
            }
        }
        return running;
    }
}
