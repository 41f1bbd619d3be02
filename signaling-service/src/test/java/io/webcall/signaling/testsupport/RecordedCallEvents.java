package io.webcall.signaling.testsupport;

import io.webcall.events.CallEvent;
import io.webcall.events.CallEventType;
import io.webcall.signaling.events.CallEvents;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The call events an edge under test publishes, as its {@link CallEvents} listener sees them: attached once per edge
 * (an edge lives as long as its Quarkus test resource), cleared before each test.
 */
public final class RecordedCallEvents {

    private final List<CallEvent> events = new CopyOnWriteArrayList<>();
    private CallEvents attachedTo;

    /** Starts recording the edge's events (once per edge) and forgets those recorded so far. */
    public synchronized void attachAndClear(CallEvents callEvents) {
        if (attachedTo != callEvents) {
            callEvents.addListener(events::add);
            attachedTo = callEvents;
        }
        events.clear();
    }

    /** Every event recorded since the last clear, in publishing order. */
    public List<CallEvent> all() {
        return events;
    }

    /** The types of {@link #all()}. */
    public List<CallEventType> types() {
        return events.stream().map(CallEvent::type).toList();
    }

    /** The latest event of {@code type}, waiting up to 5 s for one to be published. */
    public CallEvent last(CallEventType type) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 5000;
        while (System.currentTimeMillis() < deadline) {
            for (int i = events.size() - 1; i >= 0; i--) {
                if (events.get(i).type() == type) {
                    return events.get(i);
                }
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no " + type + " event; got " + events);
    }

    @Override
    public String toString() {
        return events.toString();
    }
}
