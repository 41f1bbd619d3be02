package io.webcall.account.call;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;

import java.time.Duration;

/**
 * Call records: how the service consumes the {@code call-events} and {@code media-stats} topics and
 * pages through records. Prefix {@code webcall.calls}; Kafka itself is {@code kafka.bootstrap.servers}.
 */
@ConfigMapping(prefix = "webcall.calls")
public interface CallsConfig {

    /** The Kafka consumer that turns events into records. */
    Consumer consumer();

    /** The REST API. */
    Api api();

    interface Consumer {
        /** Run the consumer in this instance (every instance of the group shares the partitions). */
        @WithDefault("true")
        boolean enabled();

        /** Kafka consumer group; all account-service instances use the same one. */
        @WithName("group-id")
        @WithDefault("account-call-records")
        String groupId();

        /**
         * Consumer threads in this instance, each with its own Kafka consumer and database transaction;
         * the topics' partitions are shared among them (more threads than partitions idle).
         */
        @WithDefault("2")
        int threads();

        /** Most messages stored in one database transaction (and one offset commit). */
        @WithName("max-batch")
        @WithDefault("5000")
        int maxBatch();

        /** How long the broker may hold a fetch to fill a bigger batch (adds at most this much latency). */
        @WithName("batch-wait")
        @WithDefault("50ms")
        Duration batchWait();

        /** Longest wait for messages in one poll. */
        @WithName("poll-timeout")
        @WithDefault("200ms")
        Duration pollTimeout();

        /** Pause before a batch whose storage failed is tried again (offsets are not committed meanwhile). */
        @WithName("retry-backoff")
        @WithDefault("1s")
        Duration retryBackoff();
    }

    interface Api {
        /** Page size of {@code GET /v1/calls} when {@code pageSize} is not given. */
        @WithName("default-page-size")
        @WithDefault("50")
        int defaultPageSize();

        /** Largest {@code pageSize} accepted; larger values get 400. */
        @WithName("max-page-size")
        @WithDefault("1000")
        int maxPageSize();

        /** Rows fetched per round trip while streaming a CSV export. */
        @WithName("export-fetch-size")
        @WithDefault("1000")
        int exportFetchSize();
    }
}
