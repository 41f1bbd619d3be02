package io.webcall.account.token;

import io.webcall.account.api.ApiSecurity;
import io.webcall.account.auth.ApiKeyAuth;
import io.webcall.account.auth.CallerHolder;
import io.webcall.account.error.ApiError;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** {@code POST /v1/tokens}: a tenant's backend gets an access token for one of its users. */
@Path("/v1/tokens")
@ApiKeyAuth
@Tag(name = "tokens")
@SecurityRequirement(name = ApiSecurity.API_KEY)
public class TokenResource {

    private final TokenService tokens;
    private final CallerHolder caller;

    public TokenResource(TokenService tokens, CallerHolder caller) {
        this.tokens = tokens;
        this.caller = caller;
    }

    @POST
    @Produces(MediaType.APPLICATION_JSON)
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Issue an access token for a user (tenant API key)",
            description = "JWT signed with ES256; claims iss, sub, tenant, domain, aor, grants, iat, exp, jti; kid header. "
                    + "Default lifetime 1 hour, at most 24 hours.")
    @APIResponse(responseCode = "200", description = "the token", content = @Content(schema = @Schema(implementation = TokenResponse.class)))
    @APIResponse(responseCode = "400", description = "invalid field (ttlSeconds out of range, unknown grant, ...)",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    @APIResponse(responseCode = "401", description = "missing or unknown API key", content = @Content(schema = @Schema(implementation = ApiError.class)))
    @APIResponse(responseCode = "403", description = "the operator key (tokens are issued with a tenant key)",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    @APIResponse(responseCode = "404", description = "unknown user", content = @Content(schema = @Schema(implementation = ApiError.class)))
    @APIResponse(responseCode = "409", description = "user disabled or tenant suspended", content = @Content(schema = @Schema(implementation = ApiError.class)))
    public Response issue(TokenRequest body) {
        TokenResponse token = tokens.issue(caller.get().requireTenantKey(), body);
        return Response.ok(token).header("Cache-Control", "no-store").build();
    }
}
