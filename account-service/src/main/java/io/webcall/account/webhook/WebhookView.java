package io.webcall.account.webhook;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** A registered webhook. */
@Schema(name = "Webhook")
public record WebhookView(UUID id, String url,
                          @Schema(description = "subscribed events: call.initiated, call.ringing, call.answered, call.completed")
                          List<String> events,
                          Instant createdAt) {
}
