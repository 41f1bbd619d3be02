package io.webcall.account.call;

import io.webcall.events.CallDirection;
import io.webcall.events.CallEvent;
import io.webcall.events.CallEventType;
import io.webcall.events.HangupSide;
import io.webcall.events.MediaStats;
import io.webcall.events.StreamStats;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** Event sequences as the signaling edge produces them for common call outcomes. */
final class CallScenarios {

    private CallScenarios() {
    }

    /** alice calls out through the PBX; answered after 3 s, talk for {@code talkSeconds}, callee hangs up. */
    static List<CallEvent> answered(UUID tenant, String callId, Instant start, String user, String to, int talkSeconds) {
        List<CallEvent> events = new ArrayList<>();
        events.add(base(CallEventType.INITIATED, tenant, callId, 1, start, user, to).build());
        events.add(base(CallEventType.RINGING, tenant, callId, 2, start.plusMillis(400), user, to).sipCode(180).build());
        events.add(base(CallEventType.ANSWERED, tenant, callId, 3, start.plusSeconds(3), user, to).sipCode(200).build());
        events.add(base(CallEventType.ENDED, tenant, callId, 4, start.plusSeconds(3 + talkSeconds), user, to)
                .sipCode(200).cause("normal").hangupBy(HangupSide.CALLEE).build());
        return events;
    }

    /** The callee is busy: 486 after ringing briefly. */
    static List<CallEvent> busy(UUID tenant, String callId, Instant start, String user, String to) {
        return List.of(
                base(CallEventType.INITIATED, tenant, callId, 1, start, user, to).build(),
                base(CallEventType.ENDED, tenant, callId, 2, start.plusMillis(900), user, to)
                        .sipCode(486).cause("busy").hangupBy(HangupSide.CALLEE).build());
    }

    /** The caller gives up while it rings: CANCEL, 487. */
    static List<CallEvent> canceled(UUID tenant, String callId, Instant start, String user, String to) {
        return List.of(
                base(CallEventType.INITIATED, tenant, callId, 1, start, user, to).build(),
                base(CallEventType.RINGING, tenant, callId, 2, start.plusMillis(300), user, to).sipCode(180).build(),
                base(CallEventType.ENDED, tenant, callId, 3, start.plusSeconds(8), user, to)
                        .sipCode(487).cause("canceled").hangupBy(HangupSide.CALLER).build());
    }

    /** Nobody answers: the platform gives up with 480 after 30 s. */
    static List<CallEvent> noAnswer(UUID tenant, String callId, Instant start, String user, String to) {
        return List.of(
                base(CallEventType.INITIATED, tenant, callId, 1, start, user, to).build(),
                base(CallEventType.RINGING, tenant, callId, 2, start.plusMillis(300), user, to).sipCode(180).build(),
                base(CallEventType.ENDED, tenant, callId, 3, start.plusSeconds(30), user, to)
                        .sipCode(480).cause("no-answer").hangupBy(HangupSide.SYSTEM).build());
    }

    /** Ringing and answered, not ended yet. */
    static List<CallEvent> inProgress(UUID tenant, String callId, Instant start, String user, String to) {
        return answered(tenant, callId, start, user, to, 10).subList(0, 3);
    }

    static MediaStats media(String callId, UUID tenant, long seq, boolean fin, long packets, long lost, double mos) {
        return new MediaStats(UUID.randomUUID(), 1, callId, tenant, seq, Instant.now(), fin,
                new StreamStats(packets, packets * 160, lost, 3.5, 40.0, mos),
                new StreamStats(packets, packets * 160, 0, 1.5, 40.0, 4.4));
    }

    private static CallEvent.Builder base(CallEventType type, UUID tenant, String callId, long seq, Instant time,
                                          String user, String to) {
        return CallEvent.builder(type, callId, tenant, seq).time(time)
                .from("sip:" + user + "@demo.localhost").to(to).user(user).direction(CallDirection.OUTBOUND);
    }
}
