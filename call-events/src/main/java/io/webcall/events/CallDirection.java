package io.webcall.events;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Direction of a call as seen from the platform. JSON values are lower case. */
public enum CallDirection {
    /** From the tenant's PBX (or trunk) to a platform user. */
    @JsonProperty("inbound") INBOUND,
    /** From a platform user to the tenant's PBX. */
    @JsonProperty("outbound") OUTBOUND,
    /** Between two platform users of the same tenant, or to a platform service such as echo. */
    @JsonProperty("internal") INTERNAL
}
