package io.webcall.events;

import com.fasterxml.jackson.annotation.JsonProperty;

/** What happened to a call. JSON values are lower case. */
public enum CallEventType {
    /** The edge accepted an INVITE and started routing it (the call exists from here on). */
    @JsonProperty("initiated") INITIATED,
    /** The called side is alerting (first 180/183 provisional response). */
    @JsonProperty("ringing") RINGING,
    /** A 2xx final response established the call. */
    @JsonProperty("answered") ANSWERED,
    /** The call is over: BYE after answer, CANCEL, or a non-2xx final response. */
    @JsonProperty("ended") ENDED
}
