package io.webcall.account.call.consumer;

import io.webcall.events.Topics;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.BooleanSupplier;

/**
 * One worker: polls its own Kafka consumer and commits the offsets of what its store thread has stored.
 * While a batch is being stored, the next poll is fetched and decoded; batches are stored one at a time
 * in poll order, and a batch's offsets are committed only after it is stored (asynchronously, then
 * synchronously when partitions are revoked and at the end, so a rebalance or stop does not redeliver
 * what is already stored). Everything but the storing runs on the poll thread.
 */
final class ConsumerWorker implements ConsumerRebalanceListener {

    private static final Logger LOG = Logger.getLogger(ConsumerWorker.class);

    private enum StoreOutcome { NONE, STORED, STOPPED }

    private final KafkaConsumer<String, byte[]> consumer;
    private final ExecutorService storeThread;
    private final BatchStore store;
    private final Duration pollTimeout;
    private final BooleanSupplier running;
    private Future<DecodedBatch> inFlight;
    /** Offsets of stored batches not yet confirmed committed. */
    private final Map<TopicPartition, OffsetAndMetadata> uncommitted = new HashMap<>();

    /** {@code name} is the poll thread's; the store thread is named after it. */
    ConsumerWorker(KafkaConsumer<String, byte[]> consumer, String name, BatchStore store, Duration pollTimeout,
                   BooleanSupplier running) {
        this.consumer = consumer;
        this.store = store;
        this.pollTimeout = pollTimeout;
        this.running = running;
        this.storeThread = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, name + "-store");
            t.setDaemon(true);
            return t;
        });
    }

    /** The poll loop, until the consumer is stopped; then commits what is stored and closes the consumer. */
    void run() {
        try {
            consumer.subscribe(List.of(Topics.CALL_EVENTS, Topics.MEDIA_STATS), this);
            while (running.getAsBoolean()) {
                ConsumerRecords<String, byte[]> records;
                try {
                    records = consumer.poll(pollTimeout);
                } catch (WakeupException e) {
                    break;
                }
                if (records.isEmpty()) {
                    if (finishStore() == StoreOutcome.STOPPED) {
                        break;
                    }
                    continue;
                }
                DecodedBatch batch = DecodedBatch.of(records);
                if (finishStore() == StoreOutcome.STOPPED) {
                    break;
                }
                inFlight = storeThread.submit(() -> store.storeWithRetry(batch));
            }
        } catch (WakeupException e) {
            // stop() during commit
        } catch (RuntimeException e) {
            LOG.error("call record consumer failed", e);
        } finally {
            try {
                finishStore();
                commitStoredSync();
            } catch (RuntimeException e) {
                LOG.debug("final offset commit", e);
            }
            storeThread.shutdownNow();
            try {
                consumer.close(Duration.ofSeconds(5));
            } catch (RuntimeException e) {
                LOG.debug("closing the consumer", e);
            }
        }
    }

    /** Waits for the batch being stored (if any) and commits its offsets asynchronously. */
    private StoreOutcome finishStore() {
        if (inFlight == null) {
            return StoreOutcome.NONE;
        }
        DecodedBatch batch;
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

    private void commitStoredSync() {
        if (uncommitted.isEmpty()) {
            return;
        }
        try {
            commitSyncOnce();
        } catch (WakeupException e) {
            if (running.getAsBoolean()) {
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
