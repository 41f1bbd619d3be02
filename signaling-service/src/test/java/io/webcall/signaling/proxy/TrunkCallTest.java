package io.webcall.signaling.proxy;

import io.quarkus.test.common.http.TestHTTPResource;
import io.webcall.events.CallEvent;
import io.webcall.events.CallEventType;
import io.webcall.signaling.events.CallEvents;
import io.webcall.signaling.tenant.AccountClient;
import io.webcall.signaling.testsupport.AccountServiceProcess;
import io.webcall.signaling.testsupport.EdgeTestResource;
import io.webcall.signaling.testsupport.NodeUa;
import io.webcall.signaling.testsupport.RecordedCallEvents;
import io.webcall.signaling.testsupport.RelayProcess;
import io.webcall.signaling.testsupport.Sipp;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

import java.net.URL;
import java.time.Duration;

/**
 * What the tests of calls toward a tenant's PBX trunk share: the edge under test (its WebSocket URL and the call
 * events it publishes), the real relay and sipp they need, and the demo tenant's trunk, set per test and removed
 * after it (the edge's cached tenant is dropped each time, so the next call sees the change).
 */
abstract class TrunkCallTest {

    static final Duration T = Duration.ofSeconds(20);
    static final RecordedCallEvents EVENTS = new RecordedCallEvents();

    @TestHTTPResource("/sip")
    URL sip;
    @Inject
    CallEvents callEvents;
    @Inject
    AccountClient accountClient;

    @BeforeEach
    void relaySippAndEvents() {
        RelayProcess.assumeAvailable();
        Sipp.assumeAvailable();
        EVENTS.attachAndClear(callEvents);
    }

    @AfterEach
    void noTrunk() {
        trunk(null, null, null, null);
    }

    String ws() {
        return sip.toString().replace("http://", "ws://");
    }

    /** A JsSIP user registered on the edge with an access token. */
    NodeUa registered(String name, String user) throws Exception {
        NodeUa ua = NodeUa.jssip(name, ws(), user, EdgeTestResource.account().token(user), null);
        return ua.register(T);
    }

    /** The demo tenant's trunk: {@code sip:127.0.0.1:port} over UDP, without credentials. */
    void trunk(int port) {
        trunk("sip:127.0.0.1:" + port, "udp", null, null);
    }

    /** The demo tenant's trunk (a null URI removes it). */
    void trunk(String uri, String transport, String username, String password) {
        EdgeTestResource.account().setPbx(AccountServiceProcess.DOMAIN, uri, transport, username, password);
        accountClient.invalidate();
    }

    CallEvent last(CallEventType type) throws InterruptedException {
        return EVENTS.last(type);
    }
}
