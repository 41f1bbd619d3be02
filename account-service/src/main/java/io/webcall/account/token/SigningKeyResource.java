package io.webcall.account.token;

import io.webcall.account.api.ApiSecurity;
import io.webcall.account.auth.ApiKeyAuth;
import io.webcall.account.auth.CallerHolder;
import io.webcall.account.error.ApiError;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Operator control of the token signing keys. */
@Path("/v1/admin/signing-keys")
@ApiKeyAuth
@Tag(name = "tokens")
@SecurityRequirement(name = ApiSecurity.API_KEY)
public class SigningKeyResource {

    private final SigningKeyStore keys;
    private final CallerHolder caller;

    public SigningKeyResource(SigningKeyStore keys, CallerHolder caller) {
        this.keys = keys;
        this.caller = caller;
    }

    /** The signing key after a rotation. */
    @Schema(name = "SigningKeyRotated")
    public record Rotated(@Schema(description = "kid of the key that signs from now on") String kid) {
    }

    @POST
    @Path("/rotate")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Rotate the signing key now (operator key)",
            description = "New tokens get the new kid; the previous key stays in the JWKS until its tokens have expired.")
    @APIResponse(responseCode = "200", description = "rotated", content = @Content(schema = @Schema(implementation = Rotated.class)))
    @APIResponse(responseCode = "401", description = "missing or unknown API key", content = @Content(schema = @Schema(implementation = ApiError.class)))
    @APIResponse(responseCode = "403", description = "not the operator key", content = @Content(schema = @Schema(implementation = ApiError.class)))
    public Rotated rotate() {
        caller.get().requireAdmin();
        return new Rotated(keys.rotate(true));
    }
}
