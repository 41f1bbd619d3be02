package io.webcall.signaling.testsupport;

import io.webcall.infra.EmbeddedKafkaBroker;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * Two real edge instances ({@link EdgeProcess}, ids {@code edge-a} and {@code edge-b}) sharing one embedded Kafka
 * broker, the real account service and the real media relay, as two edges of a deployment do. Started once per test
 * JVM by the first test class annotated with {@code @ExtendWith(EdgePair.Extension.class)} ({@link #current()}) and
 * closed by JUnit when all tests have run, not in a shutdown hook.
 */
public final class EdgePair implements ExtensionContext.Store.CloseableResource {

    /** The only Origin the edges accept on their WebSocket endpoint. */
    public static final String ALLOWED_ORIGIN = "https://phone.example.test";
    /** Prometheus gauge of the bindings an edge knows (its own and those learnt from the other edge). */
    public static final String BINDINGS = "webcall_edge_bindings";
    /** Prometheus gauge of the dialogs an edge relays for the other edge (callee's connection on it). */
    public static final String TRANSIT_DIALOGS = "webcall_edge_transit_dialogs";
    /** Grace period of both edges after a user's WebSocket drops mid-call. */
    public static final Duration GRACE_PERIOD = Duration.ofSeconds(2);

    public final EmbeddedKafkaBroker kafka;
    public final EdgeProcess a;
    public final EdgeProcess b;

    private static EdgePair current;

    private EdgePair() throws Exception {
        AccountServiceProcess account = AccountServiceProcess.get();
        String relay = RelayProcess.start();
        kafka = EmbeddedKafkaBroker.start();
        EdgeProcess first = null;
        try {
            first = EdgeProcess.start("a", config("edge-a", account, relay));
            b = EdgeProcess.start("b", config("edge-b", account, relay));
            a = first;
        } catch (Exception | Error e) {
            if (first != null) {
                first.close();
            }
            kafka.close();
            throw e;
        }
    }

    private Map<String, String> config(String id, AccountServiceProcess account, String relay) {
        Map<String, String> cfg = new HashMap<>();
        cfg.put("webcall.edge.kafka.enabled", "true");
        cfg.put("webcall.edge.kafka.instance-id", id);
        cfg.put("kafka.bootstrap.servers", kafka.bootstrapServers());
        cfg.put("webcall.edge.account.url", account.url());
        cfg.put("webcall.internal.token", account.internalToken());
        cfg.put("webcall.edge.account.cache-ttl", "1s");
        cfg.put("webcall.edge.auth.max-failures", "1000");
        cfg.put("webcall.edge.media.anchor", "true");
        cfg.put("webcall.edge.media.relay-url", relay);
        cfg.put("webcall.edge.media.timeout", "10s");
        cfg.put("webcall.edge.sip.allowed-origins", ALLOWED_ORIGIN);
        // a dropped WebSocket mid-call ends the call after this (the default is 30 s)
        cfg.put("webcall.edge.calls.grace-period", GRACE_PERIOD.toMillis() + "ms");
        // session intervals of a few seconds are accepted (the RFC 4028 floor is 90 s): session-timer tests stay short
        cfg.put("webcall.edge.calls.min-session-expires", "2");
        return cfg;
    }

    /**
     * One more edge of the same deployment (same broker, account service, relay and secret), id {@code edge-<name>}, for
     * a test that kills it; the caller closes it. It knows every binding the pair knows once replication has settled.
     */
    public EdgeProcess startAnother(String name) throws Exception {
        AccountServiceProcess account = AccountServiceProcess.get();
        return EdgeProcess.start(name, config("edge-" + name, account, RelayProcess.start()));
    }

    /** Waits (bounded) until both edges know exactly {@code count} bindings: replication has settled. */
    public void awaitBindings(int count) throws Exception {
        Duration t = Duration.ofSeconds(30);
        if (!a.awaitMetric(BINDINGS, count, t) || !b.awaitMetric(BINDINGS, count, t)) {
            throw new AssertionError("edges did not settle on " + count + " binding(s): a=" + a.metric(BINDINGS)
                    + " b=" + b.metric(BINDINGS));
        }
    }

    @Override
    public void close() throws Exception {
        synchronized (EdgePair.class) {
            current = null;
        }
        a.close();
        b.close();
        EdgeProcess.deletePrivateCopy();
        kafka.close();
    }

    /** The pair started by {@link Extension} for the running test class. */
    public static synchronized EdgePair current() {
        if (current == null) {
            throw new IllegalStateException("annotate the test class with @ExtendWith(EdgePair.Extension.class)");
        }
        return current;
    }

    /** Starts the shared pair before the first test class that uses it; JUnit closes it after the last test of the run. */
    public static final class Extension implements BeforeAllCallback {

        @Override
        public void beforeAll(ExtensionContext context) throws Exception {
            EdgeProcess.assumeAvailable();
            RelayProcess.assumeAvailable();
            Sipp.assumeAvailable();
            NodeUa.assumeAvailable();
            synchronized (EdgePair.class) {
                if (current == null) {
                    EdgePair pair = new EdgePair();
                    context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL).put(EdgePair.class, pair);
                    current = pair;
                }
            }
        }
    }
}
