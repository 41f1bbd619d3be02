package io.webcall.signaling.logging;

import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.webcall.signaling.testsupport.LogCapture;
import org.jboss.logging.Logger;
import org.jboss.logging.MDC;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * The Call-ID reaches log records emitted in asynchronous continuations (a Vert.x future completed later on an
 * event loop, a Vert.x timer), and the MDC of the thread that runs them is restored afterwards.
 */
class CallMdcTest {

    static final Logger LOG = Logger.getLogger(CallMdcTest.class);
    static Vertx vertx;

    @BeforeAll
    static void start() {
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void stop() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void logRecordOfAFutureCallbackOnAnEventLoopCarriesTheCallIdOfTheCodeThatRegisteredIt() throws Exception {
        try (LogCapture log = LogCapture.of(CallMdcTest.class)) {
            Promise<String> relayAnswer = Promise.promise();
            CompletableFuture<String> mdcAfter = new CompletableFuture<>();
            MDC.put(CallMdc.KEY, "a84b4c76e66710@pc33.example.com");
            try {
                relayAnswer.future().onComplete(CallMdc.wrap(ar -> LOG.infof("relay answered %s", ar.result())));
            } finally {
                MDC.remove(CallMdc.KEY);
            }
            vertx.runOnContext(v -> {
                MDC.put(CallMdc.KEY, "other-call");
                relayAnswer.complete("v=0");
                mdcAfter.complete(CallMdc.current());
                MDC.remove(CallMdc.KEY);
            });
            LogCapture.Line line = log.await(l -> l.message().equals("relay answered v=0"), Duration.ofSeconds(10));
            assertEquals("a84b4c76e66710@pc33.example.com", line.callId());
            assertEquals("other-call", mdcAfter.get(10, TimeUnit.SECONDS), "the event loop's own MDC is restored after the callback");
        }
    }

    @Test
    void timerCallbackForACallLogsWithItsCallId() throws Exception {
        try (LogCapture log = LogCapture.of(CallMdcTest.class)) {
            vertx.setTimer(1, CallMdc.forCall("timer-call-1", t -> LOG.info("session timer fired")));
            LogCapture.Line line = log.await(l -> l.message().equals("session timer fired"), Duration.ofSeconds(10));
            assertEquals("timer-call-1", line.callId());
        }
    }

    @Test
    void withoutCallIdTheHandlerIsLeftAsIs() {
        MDC.remove(CallMdc.KEY);
        io.vertx.core.Handler<Void> h = v -> { };
        assertEquals(h, CallMdc.wrap(h));
        assertNull(CallMdc.current());
    }
}
