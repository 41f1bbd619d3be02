package io.webcall.account.token;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.util.List;

/** Body of {@code POST /v1/tokens}. */
@Schema(name = "TokenRequest")
public record TokenRequest(
        @Schema(description = "the user the token is for", example = "alice", required = true)
        String username,
        @Schema(description = "lifetime in seconds; default 3600, at most 86400", example = "3600")
        Long ttlSeconds,
        @Schema(description = "what the user may do; default both", enumeration = {"outgoing", "incoming"})
        List<String> grants) {
}
