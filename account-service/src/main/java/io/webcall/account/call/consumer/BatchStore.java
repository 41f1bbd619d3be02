package io.webcall.account.call.consumer;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.webcall.account.call.CallRecordWriter;
import io.webcall.account.call.CallsConfig;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

/**
 * Stores decoded batches through {@link CallRecordWriter}, trying a batch again after a pause until it
 * is stored or the consumer stops, and counts what was stored (metrics {@code webcall.calls.batch.store}
 * and {@code webcall.calls.events}).
 */
final class BatchStore {

    private static final Logger LOG = Logger.getLogger(BatchStore.class);

    private final CallRecordWriter writer;
    private final CallsConfig.Consumer config;
    private final BooleanSupplier running;

    private final AtomicLong stored = new AtomicLong();
    private final AtomicLong batches = new AtomicLong();

    private final Timer batchTimer;
    private final Counter newEvents;
    private final Counter duplicateEvents;
    private final Counter rejectedMessages;

    /** {@code running} says whether the consumer is still started; a stopped consumer stops retrying. */
    BatchStore(CallRecordWriter writer, CallsConfig.Consumer config, MeterRegistry metrics, BooleanSupplier running) {
        this.writer = writer;
        this.config = config;
        this.running = running;
        this.batchTimer = Timer.builder("webcall.calls.batch.store").description("storing one consumed batch")
                .register(metrics);
        this.newEvents = Counter.builder("webcall.calls.events").tag("outcome", "stored")
                .description("call events consumed").register(metrics);
        this.duplicateEvents = Counter.builder("webcall.calls.events").tag("outcome", "duplicate")
                .description("call events consumed").register(metrics);
        this.rejectedMessages = Counter.builder("webcall.calls.events").tag("outcome", "rejected")
                .description("call events consumed").register(metrics);
    }

    /** Messages stored since start (events, media reports and rejected ones). */
    long storedMessages() {
        return stored.get();
    }

    long storedBatches() {
        return batches.get();
    }

    /** Stores a batch, retrying until it is stored or the consumer is stopped. Null when stopped first. */
    DecodedBatch storeWithRetry(DecodedBatch batch) {
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
                        config.retryBackoff(), e.toString());
                if (!sleep(config.retryBackoff())) {
                    return null;
                }
            }
        }
        stored.addAndGet(batch.count());
        batches.incrementAndGet();
        return batch;
    }

    private boolean sleep(Duration d) {
        long until = System.nanoTime() + d.toNanos();
        while (running.getAsBoolean() && System.nanoTime() < until) {
            try {
                Thread.sleep(Math.min(100, d.toMillis()));
            } catch (InterruptedException e) {
                return false;
            }
        }
        return running.getAsBoolean();
    }
}
