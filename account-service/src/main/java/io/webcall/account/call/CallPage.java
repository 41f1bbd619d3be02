package io.webcall.account.call;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.util.List;

/** One page of {@code GET /v1/calls}. */
@Schema(name = "CallPage")
public record CallPage(
        @Schema(description = "Calls, newest first") List<CallRecordView> calls,
        @Schema(description = "Opaque cursor for the next (older) page; null on the last page", nullable = true) String next) {
}
