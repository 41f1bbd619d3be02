package io.webcall.account.call;

import io.webcall.account.api.ApiSecurity;
import io.webcall.account.api.Paging;
import io.webcall.account.auth.ApiKeyAuth;
import io.webcall.account.auth.ApiKeyOrAccessTokenAuth;
import io.webcall.account.auth.Caller;
import io.webcall.account.auth.CallerHolder;
import io.webcall.account.error.ApiError;
import io.webcall.account.error.ApiException;
import io.webcall.account.tenant.TenantScope;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.io.BufferedWriter;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.List;
import java.util.UUID;

/**
 * Call records of the caller's tenant (tenant API key). Listing and reading one call also accept a
 * user's access token, which sees only the calls that user placed or received.
 */
@Path("/v1/calls")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "calls", description = "call records built from call events; the tenant's own calls only")
@SecurityRequirement(name = ApiSecurity.API_KEY)
@SecurityRequirement(name = ApiSecurity.ACCESS_TOKEN)
@APIResponse(responseCode = "401", description = "missing or unknown API key, or an invalid or expired access token",
        content = @Content(schema = @Schema(implementation = ApiError.class)))
@APIResponse(responseCode = "403", description = "the operator key: call records need a tenant API key",
        content = @Content(schema = @Schema(implementation = ApiError.class)))
public class CallResource {

    private final CallRecordRepository repository;
    private final TenantScope scope;
    private final CallerHolder caller;
    private final CallsConfig config;

    public CallResource(CallRecordRepository repository, TenantScope scope, CallerHolder caller, CallsConfig config) {
        this.repository = repository;
        this.scope = scope;
        this.caller = caller;
        this.config = config;
    }

    @GET
    @ApiKeyOrAccessTokenAuth
    @Operation(summary = "List calls, newest first",
            description = "Keyset paging: pass the previous page's `next` as `cursor` (with the same filters) to get "
                    + "the next, older, page. Calls that start meanwhile do not shift or repeat pages.")
    @APIResponse(responseCode = "200", description = "one page",
            content = @Content(schema = @Schema(implementation = CallPage.class)))
    @APIResponse(responseCode = "400", description = "bad filter, page size or cursor; `field` names the parameter",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    public CallPage list(
            @Parameter(description = "calling party, exact") @QueryParam("from") String from,
            @Parameter(description = "called party, exact") @QueryParam("to") String to,
            @Parameter(description = "platform username") @QueryParam("user") String user,
            @Parameter(description = "ringing, in-progress, completed, busy, no-answer, canceled or failed") @QueryParam("status") String status,
            @Parameter(description = "inbound, outbound or internal") @QueryParam("direction") String direction,
            @Parameter(description = "ISO-8601 date-time, inclusive") @QueryParam("startedAfter") String startedAfter,
            @Parameter(description = "ISO-8601 date-time, exclusive") @QueryParam("startedBefore") String startedBefore,
            @Parameter(description = "1..1000, default 50") @QueryParam("pageSize") String pageSize,
            @Parameter(description = "the `next` value of the previous page") @QueryParam("cursor") String cursor)
            throws SQLException {
        UUID tenant = scope.readerTenant();
        CallFilter filter = CallFilter.parse(from, to, user, status, direction, startedAfter, startedBefore);
        int size = Paging.pageSize(pageSize, config.api().defaultPageSize(), config.api().maxPageSize());
        CallCursor position = cursor == null ? null : CallCursor.decode(cursor, filter);
        List<CallRecordView> rows = repository.list(tenant, party(), filter, position, size + 1);
        String next = null;
        if (rows.size() > size) {
            rows = rows.subList(0, size);
            CallRecordView last = rows.get(size - 1);
            next = new CallCursor(last.startedAt(), last.id(), filter.fingerprint()).encode();
        }
        return new CallPage(rows, next);
    }

    @GET
    @Path("export")
    @ApiKeyAuth
    @Produces("text/csv")
    @Operation(summary = "Export calls as CSV",
            description = "Every call matching the filters, newest first, streamed as it is read (RFC 4180, UTF-8).")
    @APIResponse(responseCode = "200", description = "CSV with a header row",
            content = @Content(mediaType = "text/csv", schema = @Schema(type = org.eclipse.microprofile.openapi.annotations.enums.SchemaType.STRING)))
    @APIResponse(responseCode = "400", description = "bad filter; `field` names the parameter",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ApiError.class)))
    public Response export(
            @QueryParam("from") String from,
            @QueryParam("to") String to,
            @QueryParam("user") String user,
            @QueryParam("status") String status,
            @QueryParam("direction") String direction,
            @QueryParam("startedAfter") String startedAfter,
            @QueryParam("startedBefore") String startedBefore) {
        UUID tenant = scope.ownTenant();
        CallFilter filter = CallFilter.parse(from, to, user, status, direction, startedAfter, startedBefore);
        StreamingOutput body = output -> {
            BufferedWriter writer = new BufferedWriter(new OutputStreamWriter(output, StandardCharsets.UTF_8), 64 * 1024);
            writer.write(CallCsv.HEADER);
            try {
                repository.stream(tenant, filter, config.api().exportFetchSize(), row -> CallCsv.write(writer, row));
            } catch (java.io.IOException | RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new UncheckedIOException(new java.io.IOException("export failed", e));
            }
            writer.flush();
        };
        return Response.ok(body, "text/csv; charset=utf-8")
                .header("Content-Disposition", "attachment; filename=\"calls.csv\"")
                .build();
    }

    @GET
    @Path("{id}")
    @ApiKeyOrAccessTokenAuth
    @Operation(summary = "One call with its event timeline and media quality")
    @APIResponse(responseCode = "200", description = "the call",
            content = @Content(schema = @Schema(implementation = CallRecordView.class)))
    @APIResponse(responseCode = "400", description = "id is not a UUID",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    @APIResponse(responseCode = "404", description = "no such call for this tenant",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    public CallRecordView get(@PathParam("id") String id) throws SQLException {
        UUID tenant = scope.readerTenant();
        UUID recordId;
        try {
            recordId = UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw ApiException.invalid("id", "id must be a call record id (UUID)");
        }
        return repository.find(tenant, party(), recordId).orElseThrow(() -> ApiException.notFound("call " + id + " not found"));
    }

    /** A user's access token reads only that user's calls; an API key reads the whole tenant's. */
    private CallParty party() {
        Caller who = caller.get();
        return who.user() ? new CallParty(who.username(), who.aor()) : null;
    }
}
