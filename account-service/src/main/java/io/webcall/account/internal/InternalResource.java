package io.webcall.account.internal;

import io.webcall.account.api.ApiSecurity;
import io.webcall.account.auth.InternalAuth;
import io.webcall.account.error.ApiError;
import io.webcall.account.error.ApiException;
import io.webcall.account.validation.Fields;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.List;

/** Service-to-service lookups for the signaling edge, with the shared internal token. */
@Path("/v1/internal")
@InternalAuth
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "internal")
@SecurityRequirement(name = ApiSecurity.INTERNAL)
@APIResponse(responseCode = "401", description = "missing or wrong internal token",
        content = @Content(schema = @Schema(implementation = ApiError.class)))
public class InternalResource {

    private final InternalLookups lookups;

    public InternalResource(InternalLookups lookups) {
        this.lookups = lookups;
    }

    @GET
    @Path("/tenants/by-domain/{domain}")
    @Operation(summary = "The tenant of a SIP domain, with its PBX trunk (password in clear)")
    @APIResponse(responseCode = "200", description = "the tenant", content = @Content(schema = @Schema(implementation = InternalTenantResponse.class)))
    @APIResponse(responseCode = "404", description = "no tenant for the domain", content = @Content(schema = @Schema(implementation = ApiError.class)))
    public Response byDomain(@PathParam("domain") String domain) {
        return Response.ok(lookups.byDomain(Fields.sipDomain("domain", domain))).header("Cache-Control", "no-store").build();
    }

    @GET
    @Path("/tenants/by-pbx-address")
    @Operation(summary = "Tenants whose PBX trunk is at a host (and port), to recognise inbound PBX traffic")
    @APIResponse(responseCode = "200", description = "tenants (maybe none)",
            content = @Content(schema = @Schema(type = SchemaType.ARRAY, implementation = InternalTenantResponse.class)))
    @APIResponse(responseCode = "400", description = "host missing or port invalid", content = @Content(schema = @Schema(implementation = ApiError.class)))
    public Response byPbxAddress(@Parameter(description = "host name or IP address (IPv6 with or without brackets)", required = true)
                                 @QueryParam("host") String host,
                                 @Parameter(description = "port; absent = any port") @QueryParam("port") String port) {
        if (host == null || host.isBlank() || host.length() > 255) {
            throw ApiException.invalid("host", "host is required (at most 255 characters)");
        }
        Integer portNumber = null;
        if (port != null) {
            try {
                portNumber = Integer.parseInt(port.strip());
            } catch (NumberFormatException e) {
                throw ApiException.invalid("port", "port must be an integer");
            }
            if (portNumber < 1 || portNumber > 65535) {
                throw ApiException.invalid("port", "port must be between 1 and 65535");
            }
        }
        List<InternalTenantResponse> found = lookups.byPbxAddress(host.strip(), portNumber);
        return Response.ok(found).header("Cache-Control", "no-store").build();
    }

    @GET
    @Path("/credentials/{domain}/{username}")
    @Operation(summary = "A user's digest HA1 values (MD5, SHA-256) with realm = tenant domain")
    @APIResponse(responseCode = "200", description = "the credentials",
            content = @Content(schema = @Schema(implementation = InternalCredentialsResponse.class)))
    @APIResponse(responseCode = "404", description = "unknown domain or user", content = @Content(schema = @Schema(implementation = ApiError.class)))
    public Response credentials(@PathParam("domain") String domain, @PathParam("username") String username) {
        return Response.ok(lookups.credentials(Fields.sipDomain("domain", domain), Fields.sipUser("username", username)))
                .header("Cache-Control", "no-store").build();
    }
}
