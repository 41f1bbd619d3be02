package io.webcall.account.call;

/** A Kafka message that is not a valid event, kept in {@code call_event_rejected}. */
public record RejectedMessage(String topic, int partition, long offset, String key, byte[] payload, String error) {
}
