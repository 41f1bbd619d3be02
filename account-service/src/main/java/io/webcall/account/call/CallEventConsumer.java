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
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
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
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Consumes {@code call-events} and {@code media-stats} into call records. Each poll is stored in one
 * database transaction ({@link CallRecordWriter}) and only then are its offsets committed, so a crash
 * at any point makes Kafka redeliver what was not stored; redelivery is harmless because storing is
 * idempotent. If storing fails, the same batch is tried again after a pause until it is stored; if the
 * consumer is stopped meanwhile, its offsets stay uncommitted and Kafka redelivers the batch.
 * <p>
 * Each worker fetches and decodes its next poll while the previous one is being stored (one batch in
 * the database at a time per worker, in poll order), so Kafka round trips and JSON decoding overlap
 * with the database work.
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
            consumers.add(consumer);
            String name = "call-record-consumer-" + i;
            ExecutorService storeThread = Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, name + "-store");
                t.setDaemon(true);
                return t;
            });
            Thread thread = new Thread(() -> run(consumer, storeThread), name);
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

    /** A decoded poll: what to store and, once stored, the offsets to commit. */
    private record Batch(int count, List<CallEvent> events, List<MediaStats> media, List<RejectedMessage> rejected,
                         Map<TopicPartition, OffsetAndMetadata> offsets) {
    }

    /**
     * One worker: its own Kafka consumer and one store thread. While a batch is being stored, the next
     * poll is fetched and decoded; batches are stored one at a time in poll order, and a batch's offsets
     * are committed only after it is stored (asynchronously, then synchronously when partitions are
     * revoked and at the end, so a rebalance or stop does not redeliver what is already stored).
     */
    private void run(KafkaConsumer<String, byte[]> c, ExecutorService storeThread) {
        Worker w = new Worker(c);
        try {
            c.subscribe(List.of(Topics.CALL_EVENTS, Topics.MEDIA_STATS), w);
            while (running) {
                ConsumerRecords<String, byte[]> records;
                try {
                    records = c.poll(config.consumer().pollTimeout());
                } catch (WakeupException e) {
                    break;
                }
                if (records.isEmpty()) {
                    if (w.finishStore() == StoreOutcome.STOPPED) {
                        break;
                    }
                    continue;
                }
                Batch batch = decode(records);
                if (w.finishStore() == StoreOutcome.STOPPED) {
                    break;
                }
                w.inFlight = storeThread.submit(() -> storeWithRetry(batch));
            }
        } catch (WakeupException e) {
            // stop() during commit
        } catch (RuntimeException e) {
            LOG.error("call record consumer failed", e);
        } finally {
            try {
                w.finishStore();
                w.commitStoredSync();
            } catch (RuntimeException e) {
                LOG.debug("final offset commit", e);
            }
            storeThread.shutdownNow();
            try {
                c.close(Duration.ofSeconds(5));
            } catch (RuntimeException e) {
                LOG.debug("closing the consumer", e);
            }
            alive.decrementAndGet();
        }
    }

    private enum StoreOutcome { NONE, STORED, STOPPED }

    /** The poll thread's view of its store thread; used only from the poll thread. */
    private final class Worker implements ConsumerRebalanceListener {
        private final KafkaConsumer<String, byte[]> consumer;
        private Future<Batch> inFlight;
        /** Offsets of stored batches not yet confirmed committed. */
        private final Map<TopicPartition, OffsetAndMetadata> uncommitted = new HashMap<>();

        Worker(KafkaConsumer<String, byte[]> consumer) {
            this.consumer = consumer;
        }

        /** Waits for the batch being stored (if any) and commits its offsets asynchronously. */
        StoreOutcome finishStore() {
            if (inFlight == null) {
                return StoreOutcome.NONE;
            }
            Batch batch;
            try {
                batch = inFlight.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return StoreOutcome.STOPPED;
            } catch (ExecutionException | CancellationException e) {
                LOG.error("storing a batch failed", e);
                return StoreOutcome.STOPPED;
            } finally {
                inFlight = null;
            }
            if (batch == null) {
                return StoreOutcome.STOPPED; // stopped before it was stored: not committed, redelivered
            }
            uncommitted.putAll(batch.offsets());
            Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>(batch.offsets());
            consumer.commitAsync(offsets, (committed, error) -> {
                if (error != null) {
                    // stored anyway; a later commit covers it, or it is redelivered and skipped as duplicates
                    LOG.debugf("asynchronous offset commit failed: %s", error.toString());
                } else {
                    committed.forEach(uncommitted::remove);
                }
            });
            return StoreOutcome.STORED;
        }

        void commitStoredSync() {
            if (uncommitted.isEmpty()) {
                return;
            }
            try {
                commitSyncOnce();
            } catch (WakeupException e) {
                if (running) {
                    throw e;
                }
                // stop() woke the consumer: commit anyway, then stop
                commitSyncOnce();
            } catch (RuntimeException e) {
                // The batches are stored; after a rebalance they may be redelivered, which storing tolerates.
                LOG.warnf("offset commit failed (the batches are stored and will be skipped as duplicates): %s", e.toString());
            }
        }

        private void commitSyncOnce() {
            consumer.commitSync(new HashMap<>(uncommitted));
            uncommitted.clear();
        }

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            // finish and commit what was taken from these partitions before another consumer gets them
            finishStore();
            commitStoredSync();
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            // the group moved on without us: those offsets can no longer be committed by this member
            finishStore();
            partitions.forEach(uncommitted::remove);
        }
    }

    /** Stores a batch, retrying until it is stored or the consumer is stopped. Null when stopped first. */
    private Batch storeWithRetry(Batch batch) {
        while (true) {
            try {
                long started = System.nanoTime();
                CallRecordWriter.Result result = writer.store(batch.events(), batch.media(), batch.rejected());
                batchTimer.record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
                newEvents.increment(result.newEvents());
                duplicateEvents.increment(result.duplicateEvents());
                rejectedMessages.increment(result.rejected());
                if (LOG.isDebugEnabled()) {
                    LOG.debug("stored batch of " + batch.count() + " messages: " + result + " in "
                            + (System.nanoTime() - started) / 1_000_000 + " ms");
                }
                break;
            } catch (Exception e) {
                LOG.warnf("storing %d messages failed, retrying in %s: %s", batch.count(),
                        config.consumer().retryBackoff(), e.toString());
                if (!sleep(config.consumer().retryBackoff())) {
                    return null;
                }
            }
        }
        stored.addAndGet(batch.count());
        batches.incrementAndGet();
        return batch;
    }

    private static Batch decode(ConsumerRecords<String, byte[]> records) {
        List<CallEvent> events = new ArrayList<>(records.count());
        List<MediaStats> media = new ArrayList<>();
        List<RejectedMessage> rejected = new ArrayList<>();
        decode(records, events, media, rejected);
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (TopicPartition tp : records.partitions()) {
            List<ConsumerRecord<String, byte[]>> list = records.records(tp);
            offsets.put(tp, new OffsetAndMetadata(list.get(list.size() - 1).offset() + 1));
        }
        return new Batch(records.count(), events, media, rejected, offsets);
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
