package io.webcall.account.user;

import io.webcall.account.api.ApiSecurity;
import io.webcall.account.api.Paging;
import io.webcall.account.auth.ApiKeyAuth;
import io.webcall.account.error.ApiError;
import io.webcall.account.tenant.Tenant;
import io.webcall.account.tenant.TenantScope;
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
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.List;

/** SIP users of one tenant; the operator key or the tenant's own key. */
@Path("/v1/tenants/{tenantId}/users")
@ApiKeyAuth
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "users")
@SecurityRequirement(name = ApiSecurity.API_KEY)
@APIResponse(responseCode = "401", description = "missing or unknown API key",
        content = @Content(schema = @Schema(implementation = ApiError.class)))
@APIResponse(responseCode = "404", description = "no such tenant or user (another tenant's are not found either)",
        content = @Content(schema = @Schema(implementation = ApiError.class)))
public class UserResource {

    private final TenantScope scope;
    private final UserService users;

    public UserResource(TenantScope scope, UserService users) {
        this.scope = scope;
        this.users = users;
    }

    @POST
    @Operation(summary = "Create a user")
    @APIResponse(responseCode = "201", description = "created", content = @Content(schema = @Schema(implementation = UserResponse.class)))
    @APIResponse(responseCode = "400", description = "invalid field", content = @Content(schema = @Schema(implementation = ApiError.class)))
    @APIResponse(responseCode = "409", description = "username exists", content = @Content(schema = @Schema(implementation = ApiError.class)))
    public Response create(@PathParam("tenantId") String tenantId, UserCreateRequest body, @Context UriInfo uri) {
        Tenant tenant = tenant(tenantId);
        SipUser user = users.create(tenant, body);
        return Response.created(uri.getAbsolutePathBuilder().path(user.username).build())
                .entity(UserResponse.of(user, tenant.domain)).build();
    }

    @GET
    @Operation(summary = "List the tenant's users, by username")
    @APIResponse(responseCode = "200", description = "users",
            content = @Content(schema = @Schema(type = SchemaType.ARRAY, implementation = UserResponse.class)))
    public List<UserResponse> list(@PathParam("tenantId") String tenantId,
                                   @Parameter(description = "page size, 1..1000, default 100") @QueryParam("limit") String limit,
                                   @Parameter(description = "users to skip") @QueryParam("offset") String offset) {
        Tenant tenant = tenant(tenantId);
        return users.list(tenant, Paging.offset(offset), Paging.limit(limit)).stream()
                .map(u -> UserResponse.of(u, tenant.domain)).toList();
    }

    @GET
    @Path("/{username}")
    @Operation(summary = "Get a user")
    @APIResponse(responseCode = "200", description = "the user", content = @Content(schema = @Schema(implementation = UserResponse.class)))
    public UserResponse get(@PathParam("tenantId") String tenantId, @PathParam("username") String username) {
        Tenant tenant = tenant(tenantId);
        return UserResponse.of(users.get(tenant, Fields.sipUser("username", username)), tenant.domain);
    }

    @PATCH
    @Path("/{username}")
    @Operation(summary = "Change a user's display name, password or enabled flag")
    @APIResponse(responseCode = "200", description = "the changed user", content = @Content(schema = @Schema(implementation = UserResponse.class)))
    @APIResponse(responseCode = "400", description = "invalid field", content = @Content(schema = @Schema(implementation = ApiError.class)))
    public UserResponse patch(@PathParam("tenantId") String tenantId, @PathParam("username") String username, UserPatchRequest body) {
        Tenant tenant = tenant(tenantId);
        return UserResponse.of(users.patch(tenant, Fields.sipUser("username", username), body), tenant.domain);
    }

    @DELETE
    @Path("/{username}")
    @Operation(summary = "Delete a user")
    @APIResponse(responseCode = "204", description = "deleted")
    public Response delete(@PathParam("tenantId") String tenantId, @PathParam("username") String username) {
        Tenant tenant = tenant(tenantId);
        users.delete(tenant, Fields.sipUser("username", username));
        return Response.noContent().build();
    }

    private Tenant tenant(String tenantId) {
        return scope.require(tenantId);
    }
}
