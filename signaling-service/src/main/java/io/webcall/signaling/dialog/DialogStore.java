package io.webcall.signaling.dialog;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Calls by Call-ID. Used only from the core event loop. */
@ApplicationScoped
public class DialogStore {

    @Inject
    MeterRegistry metrics;

    private final Map<String, Dialog> byCallId = new HashMap<>();

    void onStart(@Observes StartupEvent ev) {
        metrics.gauge("webcall_edge_calls", this, DialogStore::size);
    }

    public Dialog get(String callId) {
        return byCallId.get(callId);
    }

    public void put(Dialog d) {
        byCallId.put(d.callId, d);
    }

    public void remove(Dialog d) {
        byCallId.remove(d.callId, d);
    }

    /** Calls with a leg on the given connection. */
    public List<Dialog> onFlow(String flowId) {
        List<Dialog> out = new ArrayList<>();
        for (Dialog d : byCallId.values()) {
            if (flowId.equals(d.caller.flowId) || flowId.equals(d.callee.flowId)) {
                out.add(d);
            }
        }
        return out;
    }

    public int size() {
        return byCallId.size();
    }
}
