package io.webcall.signaling.testsupport;

import java.util.Map;

/** Like {@link EdgeTestResource}, with bindings and call events published to Kafka (pair with KafkaTestResource). */
public class KafkaEdgeTestResource extends EdgeTestResource {

    @Override
    public Map<String, String> start() {
        Map<String, String> cfg = super.start();
        cfg.put("webcall.edge.kafka.enabled", "true");
        cfg.put("webcall.edge.kafka.instance-id", "edge-a");
        return cfg;
    }
}
