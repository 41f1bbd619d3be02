package io.webcall.account.user;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.time.Instant;
import java.util.UUID;

/** A SIP user as the API shows it: never the password, never the HA1 values. */
@Schema(name = "User")
public record UserResponse(UUID id, String username, @Schema(nullable = true) String displayName,
                           @Schema(example = "sip:alice@acme.example.com") String aor,
                           boolean enabled, Instant createdAt, Instant updatedAt) {

    public static UserResponse of(SipUser user, String domain) {
        return new UserResponse(user.id, user.username, user.displayName, "sip:" + user.username + "@" + domain,
                user.enabled, user.createdAt, user.updatedAt);
    }
}
