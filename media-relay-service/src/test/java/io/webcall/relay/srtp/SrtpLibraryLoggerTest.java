package io.webcall.relay.srtp;

import org.jitsi.utils.logging2.Logger;
import org.jitsi.utils.logging2.LoggerImpl;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SrtpLibraryLoggerTest {

    private static final String NAME = "io.webcall.relay.srtp.test.SrtpLibraryLoggerTest";

    @Test
    void debugIsSkippedWithoutAskingTheLevelAndPassedOnForChildrenCreatedAfterTheLevelChanged() {
        java.util.logging.Logger jul = java.util.logging.Logger.getLogger(NAME);
        List<String> seen = new ArrayList<>();
        Handler handler = new Handler() {
            @Override
            public void publish(LogRecord record) {
                seen.add(record.getMessage());
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        jul.addHandler(handler);
        jul.setUseParentHandlers(false);
        try {
            jul.setLevel(Level.INFO);
            Logger quiet = new SrtpLibraryLogger(new LoggerImpl(NAME));
            int[] formatted = {0};
            quiet.debug(() -> {
                formatted[0]++;
                return "replay window";
            });
            quiet.info("kept");
            assertFalse(quiet.isDebugEnabled());
            assertEquals(0, formatted[0], "a skipped debug message is not formatted");
            assertEquals(List.of("kept"), seen.stream().filter(m -> !m.contains("replay")).toList());

            jul.setLevel(Level.ALL);
            Logger child = quiet.createChildLogger(NAME + ".child");
            assertTrue(child.isDebugEnabled(), "a context created after the change reads the new level");
            child.debug(() -> "replay window");
            assertTrue(seen.stream().anyMatch(m -> m.contains("replay window")), "debug passed on: " + seen);
        } finally {
            jul.removeHandler(handler);
            jul.setLevel(null);
            jul.setUseParentHandlers(true);
        }
    }
}
