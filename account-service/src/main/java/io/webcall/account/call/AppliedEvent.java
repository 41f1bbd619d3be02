package io.webcall.account.call;

import io.webcall.events.CallEvent;

/** A call event seen for the first time, and the record as it stands after it was folded in. */
public record AppliedEvent(CallEvent event, CallRecordView record) {
}
