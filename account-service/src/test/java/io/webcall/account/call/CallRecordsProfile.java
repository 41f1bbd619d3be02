package io.webcall.account.call;

import io.quarkus.test.junit.QuarkusTestProfile;

import java.util.List;
import java.util.Map;

/** The service with a real (restartable) Kafka broker and the call-record consumer running. */
public class CallRecordsProfile implements QuarkusTestProfile {

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(RestartableKafka.class));
    }

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("webcall.calls.consumer.enabled", "true",
                "webcall.calls.consumer.retry-backoff", "200ms",
                "webcall.webhooks.max-attempts", "4",
                // the in-process broker logs every step at INFO
                "quarkus.log.category.\"org.apache.kafka\".level", "WARN",
                "quarkus.log.category.\"kafka\".level", "WARN");
    }
}
