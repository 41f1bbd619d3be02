package io.webcall.account.call.consumer;

import io.webcall.account.call.RejectedMessage;
import io.webcall.events.CallEvent;
import io.webcall.events.EventFormatException;
import io.webcall.events.EventJson;
import io.webcall.events.MediaStats;
import io.webcall.events.Topics;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A decoded poll: what to store (call events, media reports, and the messages that are not valid
 * events) and, once stored, the offsets to commit.
 */
record DecodedBatch(int count, List<CallEvent> events, List<MediaStats> media, List<RejectedMessage> rejected,
                    Map<TopicPartition, OffsetAndMetadata> offsets) {

    private static final Logger LOG = Logger.getLogger(DecodedBatch.class);
    private static final int MAX_CALL_ID = 256;

    /** Decodes every message of the poll; one that is not a valid event is kept as rejected, never dropped. */
    static DecodedBatch of(ConsumerRecords<String, byte[]> records) {
        List<CallEvent> events = new ArrayList<>(records.count());
        List<MediaStats> media = new ArrayList<>();
        List<RejectedMessage> rejected = new ArrayList<>();
        decode(records, events, media, rejected);
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (TopicPartition tp : records.partitions()) {
            List<ConsumerRecord<String, byte[]>> list = records.records(tp);
            offsets.put(tp, new OffsetAndMetadata(list.get(list.size() - 1).offset() + 1));
        }
        return new DecodedBatch(records.count(), events, media, rejected, offsets);
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
}
