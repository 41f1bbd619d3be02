package io.webcall.account.tenant;

import io.webcall.account.api.ApiSecurity;
import io.webcall.account.api.Paging;
import io.webcall.account.auth.ApiKeyAuth;
import io.webcall.account.auth.Caller;
import io.webcall.account.auth.CallerHolder;
import io.webcall.account.error.ApiError;
import io.webcall.account.validation.Fields;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.core.Context;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;

import java.util.List;
import java.util.UUID;

/** Operator API for tenants. A tenant key may read its own tenant only. */
@Path("/v1/tenants")
@ApiKeyAuth
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "tenants")
@SecurityRequirement(name = ApiSecurity.API_KEY)
@APIResponse(responseCode = "401", description = "missing or unknown API key",
        content = @Content(schema = @Schema(implementation = ApiError.class)))
public class TenantResource {

    private final TenantService tenants;
    private final CallerHolder caller;

    public TenantResource(TenantService tenants, CallerHolder caller) {
        this.tenants = tenants;
        this.caller = caller;
    }

    @POST
    @Operation(summary = "Create a tenant (operator key)")
    @APIResponse(responseCode = "201", description = "created", content = @Content(schema = @Schema(implementation = TenantResponse.class)))
    @APIResponse(responseCode = "400", description = "invalid field", content = @Content(schema = @Schema(implementation = ApiError.class)))
    @APIResponse(responseCode = "403", description = "not the operator key", content = @Content(schema = @Schema(implementation = ApiError.class)))
    @APIResponse(responseCode = "409", description = "domain already used", content = @Content(schema = @Schema(implementation = ApiError.class)))
    public Response create(TenantCreateRequest body, @Context UriInfo uri) {
        caller.get().requireAdmin();
        Tenant tenant = tenants.create(body);
        return Response.created(uri.getAbsolutePathBuilder().path(tenant.id.toString()).build())
                .entity(TenantResponse.of(tenant)).build();
    }

    @GET
    @Operation(summary = "List tenants (operator key), optionally the one with a domain")
    @APIResponse(responseCode = "200", description = "tenants, oldest first",
            content = @Content(schema = @Schema(type = SchemaType.ARRAY, implementation = TenantResponse.class)))
    @APIResponse(responseCode = "403", description = "not the operator key", content = @Content(schema = @Schema(implementation = ApiError.class)))
    public List<TenantResponse> list(
            @Parameter(description = "only the tenant with this SIP domain") @QueryParam("domain") String domain,
            @Parameter(description = "page size, 1..1000, default 100") @QueryParam("limit") String limit,
            @Parameter(description = "tenants to skip") @QueryParam("offset") String offset) {
        caller.get().requireAdmin();
        String normalized = domain == null ? null : Fields.sipDomain("domain", domain);
        return tenants.list(normalized, Paging.limit(limit), Paging.offset(offset)).stream().map(TenantResponse::of).toList();
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "Get a tenant (operator key, or the tenant's own key)")
    @APIResponse(responseCode = "200", description = "the tenant", content = @Content(schema = @Schema(implementation = TenantResponse.class)))
    @APIResponse(responseCode = "404", description = "no such tenant (or another tenant's)", content = @Content(schema = @Schema(implementation = ApiError.class)))
    public TenantResponse get(@PathParam("id") String id) {
        UUID tenantId = Fields.uuid("id", id);
        caller.get().requireTenant(tenantId);
        return TenantResponse.of(tenants.get(tenantId));
    }

    @PATCH
    @Path("/{id}")
    @Operation(summary = "Change a tenant (operator key)",
            description = "Absent fields stay; \"pbx\": null removes the trunk. The domain can change only while the "
                    + "tenant has no users (409 otherwise), because users' digest HA1 values use the domain as realm.")
    @APIResponse(responseCode = "200", description = "the changed tenant", content = @Content(schema = @Schema(implementation = TenantResponse.class)))
    @APIResponse(responseCode = "409", description = "domain used elsewhere, or domain change with users", content = @Content(schema = @Schema(implementation = ApiError.class)))
    public TenantResponse patch(@PathParam("id") String id, TenantPatchRequest body) {
        UUID tenantId = Fields.uuid("id", id);
        Caller who = caller.get();
        who.requireTenant(tenantId);
        who.requireAdmin();
        return TenantResponse.of(tenants.patch(tenantId, body));
    }

    @DELETE
    @Path("/{id}")
    @Operation(summary = "Delete a tenant with its users and API keys (operator key)")
    @APIResponse(responseCode = "204", description = "deleted")
    @APIResponse(responseCode = "404", description = "no such tenant", content = @Content(schema = @Schema(implementation = ApiError.class)))
    public Response delete(@PathParam("id") String id) {
        UUID tenantId = Fields.uuid("id", id);
        Caller who = caller.get();
        who.requireTenant(tenantId);
        who.requireAdmin();
        tenants.delete(tenantId);
        return Response.noContent().build();
    }
}
