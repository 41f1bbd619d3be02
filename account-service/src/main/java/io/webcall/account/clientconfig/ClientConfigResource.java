package io.webcall.account.clientconfig;

import io.webcall.account.api.ApiSecurity;
import io.webcall.account.auth.Bearer;
import io.webcall.account.config.AccountConfig;
import io.webcall.account.error.ApiError;
import io.webcall.account.error.ApiException;
import io.webcall.account.token.AccessTokenClaims;
import io.webcall.account.token.AccessTokens;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** {@code GET /v1/client-config}: the browser SDK, holding an access token, learns where to connect. */
@Path("/v1/client-config")
@Tag(name = "client")
@SecurityRequirement(name = ApiSecurity.ACCESS_TOKEN)
public class ClientConfigResource {

    private final AccessTokens tokens;
    private final TokenSubjectCheck subjects;
    private final AccountConfig.Client config;

    public ClientConfigResource(AccessTokens tokens, TokenSubjectCheck subjects, AccountConfig config) {
        this.tokens = tokens;
        this.subjects = subjects;
        this.config = config.client();
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Edge URLs and ICE servers (with short-lived TURN credentials) for the token's user")
    @APIResponse(responseCode = "200", description = "the configuration",
            content = @Content(schema = @Schema(implementation = ClientConfigResponse.class)))
    @APIResponse(responseCode = "401", description = "missing, invalid or expired access token, or its user or tenant is gone",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    @APIResponse(responseCode = "403", description = "the user is disabled or the tenant suspended",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    public Response clientConfig(@Parameter(hidden = true) @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        String token = Bearer.token(authorization)
                .orElseThrow(() -> ApiException.unauthorized("an access token is required: Authorization: Bearer <token>"));
        AccessTokenClaims claims = tokens.verify(token)
                .orElseThrow(() -> ApiException.unauthorized("invalid or expired access token"));
        subjects.requireUsable(claims);
        List<ClientConfigResponse.IceServer> ice = new ArrayList<>();
        List<String> stun = urls(config.stunUrls());
        if (!stun.isEmpty()) {
            ice.add(new ClientConfigResponse.IceServer(stun, null, null));
        }
        Long ttl = null;
        List<String> turn = urls(config.turnUrls());
        if (!turn.isEmpty() && config.turnSecret().filter(s -> !s.isBlank()).isPresent()) {
            ttl = config.turnCredentialTtl().toSeconds();
            String user = claims.username() + "@" + claims.domain();
            TurnCredentials.Pair pair = TurnCredentials.issue(config.turnSecret().get(), user, Instant.now().plusSeconds(ttl));
            ice.add(new ClientConfigResponse.IceServer(turn, pair.username(), pair.credential()));
        }
        ClientConfigResponse body = new ClientConfigResponse(claims.aor(), claims.domain(),
                new ClientConfigResponse.Edge(List.copyOf(config.websocketUrls())), ice, ttl);
        return Response.ok(body).header("Cache-Control", "no-store").build();
    }

    private static List<String> urls(List<String> configured) {
        return configured.stream().map(String::strip).filter(u -> !u.isEmpty() && !"none".equals(u)).toList();
    }
}
