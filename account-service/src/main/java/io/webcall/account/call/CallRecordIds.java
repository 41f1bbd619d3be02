package io.webcall.account.call;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * The id of a call record: a name-based UUID (RFC 9562 section 5.3) of the tenant id and the call id.
 * Every consumer instance derives the same id for the same call without asking the database, and a
 * Call-ID reused by another tenant is a different record.
 */
public final class CallRecordIds {

    private CallRecordIds() {
    }

    public static UUID of(UUID tenantId, String callId) {
        return UUID.nameUUIDFromBytes((tenantId + "|" + callId).getBytes(StandardCharsets.UTF_8));
    }
}
