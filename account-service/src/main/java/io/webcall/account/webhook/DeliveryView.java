package io.webcall.account.webhook;

import com.fasterxml.jackson.annotation.JsonRawValue;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.time.Instant;
import java.util.UUID;

/** One entry of the delivery log. */
@Schema(name = "WebhookDelivery")
public record DeliveryView(
        UUID id,
        UUID webhookId,
        UUID eventId,
        @Schema(enumeration = {"call.initiated", "call.ringing", "call.answered", "call.completed"}) String eventType,
        UUID callId,
        @Schema(enumeration = {"pending", "delivered", "failed"}) String status,
        int attempts,
        Integer lastStatusCode,
        String lastError,
        Instant lastAttemptAt,
        Instant nextAttemptAt,
        Instant createdAt,
        Instant deliveredAt,
        @JsonRawValue @Schema(type = org.eclipse.microprofile.openapi.annotations.enums.SchemaType.OBJECT,
                description = "the JSON body sent") String payload) {
}
