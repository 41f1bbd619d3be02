package io.webcall.account.webhook;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.util.List;

/** One page of the delivery log, newest first. */
@Schema(name = "WebhookDeliveryPage")
public record DeliveryPage(List<DeliveryView> deliveries,
                           @Schema(description = "cursor for the next (older) page; null on the last", nullable = true) String next) {
}
