package io.webcall.signaling.testsupport;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.util.HashMap;
import java.util.Map;

/** Starts the account service stand-in and points the edge at it; SDP passes through (no relay) unless a test says otherwise. */
public class EdgeTestResource implements QuarkusTestResourceLifecycleManager {

    private static FakeAccountService account;

    public static FakeAccountService account() {
        return account;
    }

    @Override
    public Map<String, String> start() {
        try {
            if (account == null) {
                account = new FakeAccountService();
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        Map<String, String> cfg = new HashMap<>();
        cfg.put("webcall.edge.account.url", account.url());
        cfg.put("webcall.internal.token", FakeAccountService.INTERNAL_TOKEN);
        cfg.put("webcall.edge.account.cache-ttl", "1s");
        cfg.put("webcall.edge.media.anchor", "false");
        cfg.put("webcall.edge.calls.grace-period", "2s");
        cfg.put("webcall.edge.auth.max-failures", "1000");
        return cfg;
    }

    @Override
    public void stop() {
        // the stand-in lives as long as the test JVM: several test classes share it
    }
}
