package io.webcall.events;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Who ended a call. JSON values are lower case. */
public enum HangupSide {
    /** The calling party (BYE or CANCEL from the caller). */
    @JsonProperty("caller") CALLER,
    /** The called party (BYE from the callee, or a non-2xx final response such as 486 or 603). */
    @JsonProperty("callee") CALLEE,
    /** The platform (timeouts, lost WebSocket after the grace period, errors, shutdown). */
    @JsonProperty("system") SYSTEM
}
