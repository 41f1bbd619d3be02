package io.webcall.signaling.testsupport;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.util.HashMap;
import java.util.Map;

/** Starts the real account service and points the edge at it; SDP passes through (no relay) unless a test says otherwise. */
public class EdgeTestResource implements QuarkusTestResourceLifecycleManager {

    public static AccountServiceProcess account() {
        return AccountServiceProcess.get();
    }

    @Override
    public Map<String, String> start() {
        AccountServiceProcess account = AccountServiceProcess.get();
        Map<String, String> cfg = new HashMap<>();
        cfg.put("webcall.edge.account.url", account.url());
        cfg.put("webcall.internal.token", account.internalToken());
        cfg.put("webcall.edge.account.cache-ttl", "1s");
        cfg.put("webcall.edge.auth.clock-skew", "0s");
        cfg.put("webcall.edge.media.anchor", "false");
        cfg.put("webcall.edge.calls.grace-period", "2s");
        cfg.put("webcall.edge.auth.max-failures", "1000");
        return cfg;
    }

    @Override
    public void stop() {
        // the account service lives as long as the test JVM: several test classes share it
    }
}
