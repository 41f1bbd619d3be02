package io.webcall.account.webhook;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.util.List;

/** Body of {@code POST /v1/webhooks}. */
@Schema(name = "WebhookCreateRequest")
public record WebhookCreateRequest(
        @Schema(description = "HTTPS endpoint that receives POSTed JSON", required = true,
                example = "https://example.com/hooks/calls") String url,
        @Schema(description = "events to receive; all when absent",
                example = "[\"call.answered\", \"call.completed\"]") List<String> events) {
}
