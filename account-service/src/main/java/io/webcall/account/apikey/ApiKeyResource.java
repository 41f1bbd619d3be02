package io.webcall.account.apikey;

import io.webcall.account.api.ApiSecurity;
import io.webcall.account.auth.ApiKeyAuth;
import io.webcall.account.error.ApiError;
import io.webcall.account.tenant.TenantScope;
import io.webcall.account.validation.Fields;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.List;
import java.util.UUID;

/** API keys of one tenant; the operator key or one of the tenant's own keys. */
@Path("/v1/tenants/{tenantId}/api-keys")
@ApiKeyAuth
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "api-keys")
@SecurityRequirement(name = ApiSecurity.API_KEY)
@APIResponse(responseCode = "401", description = "missing or unknown API key",
        content = @Content(schema = @Schema(implementation = ApiError.class)))
@APIResponse(responseCode = "404", description = "no such tenant or key (another tenant's are not found either)",
        content = @Content(schema = @Schema(implementation = ApiError.class)))
public class ApiKeyResource {

    private final TenantScope scope;
    private final ApiKeyService keys;

    public ApiKeyResource(TenantScope scope, ApiKeyService keys) {
        this.scope = scope;
        this.keys = keys;
    }

    @POST
    @Operation(summary = "Create an API key; the response is the only time the key is shown")
    @APIResponse(responseCode = "201", description = "created", content = @Content(schema = @Schema(implementation = ApiKeyCreatedResponse.class)))
    @APIResponse(responseCode = "400", description = "invalid field", content = @Content(schema = @Schema(implementation = ApiError.class)))
    public Response create(@PathParam("tenantId") String tenantId, ApiKeyCreateRequest body, @Context UriInfo uri) {
        UUID id = tenant(tenantId);
        ApiKeyService.Issued issued = keys.create(id, body);
        ApiKey key = issued.key();
        return Response.created(uri.getAbsolutePathBuilder().path(key.id.toString()).build())
                .entity(new ApiKeyCreatedResponse(key.id, key.name, key.prefix, issued.secret(), key.createdAt))
                .header("Cache-Control", "no-store")
                .build();
    }

    @GET
    @Operation(summary = "List the tenant's API keys (no secrets)")
    @APIResponse(responseCode = "200", description = "keys, oldest first",
            content = @Content(schema = @Schema(type = SchemaType.ARRAY, implementation = ApiKeyResponse.class)))
    public List<ApiKeyResponse> list(@PathParam("tenantId") String tenantId) {
        return keys.list(tenant(tenantId)).stream().map(ApiKeyResponse::of).toList();
    }

    @DELETE
    @Path("/{keyId}")
    @Operation(summary = "Revoke an API key; it stops working at once")
    @APIResponse(responseCode = "204", description = "revoked")
    public Response revoke(@PathParam("tenantId") String tenantId, @PathParam("keyId") String keyId) {
        UUID id = tenant(tenantId);
        keys.revoke(id, Fields.uuid("keyId", keyId));
        return Response.noContent().build();
    }

    private UUID tenant(String tenantId) {
        return scope.require(tenantId).id;
    }
}
