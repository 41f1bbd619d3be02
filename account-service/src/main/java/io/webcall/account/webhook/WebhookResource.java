package io.webcall.account.webhook;

import io.webcall.account.api.ApiSecurity;
import io.webcall.account.api.Paging;
import io.webcall.account.auth.ApiKeyAuth;
import io.webcall.account.error.ApiError;
import io.webcall.account.error.ApiException;
import io.webcall.account.tenant.TenantScope;
import io.webcall.account.validation.Fields;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
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

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/** Webhooks of the caller's tenant (tenant API key). */
@Path("/v1/webhooks")
@ApiKeyAuth
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "webhooks", description = "call status changes POSTed to the tenant's HTTPS endpoints. Every delivery carries "
        + "`Webcall-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(signing secret, t + \".\" + raw body)>`, "
        + "`Webcall-Event` (call.initiated, call.ringing, call.answered, call.completed) and `Webcall-Delivery` (id, "
        + "the same on every retry). Verify the MAC over the raw body in constant time and refuse a `t` more than "
        + "5 minutes from your clock. Any 2xx acknowledges; anything else (or no answer within 10 s) is retried with "
        + "exponential backoff (10 s doubling up to 1 h, 10 attempts by default).")
@SecurityRequirement(name = ApiSecurity.API_KEY)
@APIResponse(responseCode = "401", description = "missing or unknown API key",
        content = @Content(schema = @Schema(implementation = ApiError.class)))
@APIResponse(responseCode = "403", description = "the operator key: webhooks need a tenant API key",
        content = @Content(schema = @Schema(implementation = ApiError.class)))
public class WebhookResource {

    private static final List<String> ALL_EVENTS = Arrays.stream(WebhookEventType.values()).map(WebhookEventType::value).toList();
    private static final Set<String> STATUSES = Set.of("pending", "delivered", "failed");
    private static final int DEFAULT_PAGE_SIZE = 50;

    private final WebhookStore store;
    private final WebhookSecrets secrets;
    private final WebhooksConfig config;
    private final TenantScope scope;

    public WebhookResource(WebhookStore store, WebhookSecrets secrets, WebhooksConfig config, TenantScope scope) {
        this.store = store;
        this.secrets = secrets;
        this.config = config;
        this.scope = scope;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Register a webhook", description = "Creates the tenant's signing secret on first use "
            + "(read it with GET /v1/webhooks/signing-secret).")
    @APIResponse(responseCode = "201", description = "registered", content = @Content(schema = @Schema(implementation = WebhookView.class)))
    @APIResponse(responseCode = "400", description = "bad url or events; `field` names it",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    @APIResponse(responseCode = "409", description = "too many webhooks", content = @Content(schema = @Schema(implementation = ApiError.class)))
    public Response create(WebhookCreateRequest body, @Context UriInfo uri) throws SQLException {
        UUID tenant = scope.ownTenant();
        if (body == null) {
            throw ApiException.invalid("url", "a JSON body with url is required");
        }
        String url = WebhookUrls.check(body.url(), config.allowHttpLoopback()).toString();
        List<String> events = events(body.events());
        secrets.getOrCreate(tenant);
        WebhookView created = store.create(tenant, url, events, config.maxPerTenant());
        return Response.created(uri.getAbsolutePathBuilder().path(created.id().toString()).build()).entity(created).build();
    }

    @GET
    @Operation(summary = "List the tenant's webhooks")
    @APIResponse(responseCode = "200", description = "webhooks",
            content = @Content(schema = @Schema(type = SchemaType.ARRAY, implementation = WebhookView.class)))
    public List<WebhookView> list() throws SQLException {
        return store.list(scope.ownTenant());
    }

    @DELETE
    @Path("{id}")
    @Operation(summary = "Remove a webhook (and its delivery log)")
    @APIResponse(responseCode = "204", description = "removed")
    @APIResponse(responseCode = "404", description = "no such webhook for this tenant",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    public Response delete(@PathParam("id") String id) throws SQLException {
        UUID tenant = scope.ownTenant();
        if (!store.delete(tenant, Fields.uuid("id", id))) {
            throw ApiException.notFound("webhook " + id + " not found");
        }
        return Response.noContent().build();
    }

    @GET
    @Path("signing-secret")
    @Operation(summary = "The tenant's signing secret (created on first use)")
    @APIResponse(responseCode = "200", description = "the secret",
            content = @Content(schema = @Schema(implementation = WebhookSecretView.class)))
    public WebhookSecretView secret() throws SQLException {
        return WebhookSecretView.of(secrets.getOrCreate(scope.ownTenant()));
    }

    @POST
    @Path("signing-secret/rotate")
    @Operation(summary = "Replace the signing secret; later attempts are signed with the new one")
    @APIResponse(responseCode = "200", description = "the new secret",
            content = @Content(schema = @Schema(implementation = WebhookSecretView.class)))
    public WebhookSecretView rotate() throws SQLException {
        return WebhookSecretView.of(secrets.rotate(scope.ownTenant()));
    }

    @GET
    @Path("deliveries")
    @Operation(summary = "Delivery log, newest first", description = "Every queued, delivered and failed delivery with its attempts.")
    @APIResponse(responseCode = "200", description = "one page",
            content = @Content(schema = @Schema(implementation = DeliveryPage.class)))
    @APIResponse(responseCode = "400", description = "bad filter or cursor; `field` names it",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    public DeliveryPage deliveries(
            @Parameter(description = "only this webhook's deliveries") @QueryParam("webhookId") String webhookId,
            @Parameter(description = "pending, delivered or failed") @QueryParam("status") String status,
            @Parameter(description = "1..1000, default 50") @QueryParam("pageSize") String pageSize,
            @Parameter(description = "the `next` value of the previous page") @QueryParam("cursor") String cursor)
            throws SQLException {
        UUID tenant = scope.ownTenant();
        UUID hook = webhookId == null ? null : Fields.uuid("webhookId", webhookId);
        if (status != null && !STATUSES.contains(status)) {
            throw ApiException.invalid("status", "status must be one of pending, delivered, failed");
        }
        return store.deliveries(tenant, hook, status, cursor, Paging.pageSize(pageSize, DEFAULT_PAGE_SIZE, Paging.MAX_LIMIT));
    }

    private static List<String> events(List<String> requested) {
        if (requested == null) {
            return ALL_EVENTS;
        }
        if (requested.isEmpty()) {
            throw ApiException.invalid("events", "events must not be empty; leave it out for all events");
        }
        Set<String> out = new LinkedHashSet<>();
        for (String e : requested) {
            if (e == null || WebhookEventType.parse(e).isEmpty()) {
                throw ApiException.invalid("events", "unknown event '" + e + "'; known: " + String.join(", ", ALL_EVENTS));
            }
            out.add(e);
        }
        return new ArrayList<>(out);
    }
}
