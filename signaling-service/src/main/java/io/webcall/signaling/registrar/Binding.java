package io.webcall.signaling.registrar;

import io.vertx.core.json.JsonObject;

/**
 * One registered contact of an address-of-record (RFC 3261 section 10.3), with the flow it registered over
 * (RFC 5626 section 6) and the edge instance holding that flow.
 *
 * @param aor         address-of-record {@code sip:user@domain}
 * @param contact     the Contact URI as registered
 * @param instanceId  {@code +sip.instance} value, or null
 * @param regId       {@code reg-id} value, or 0
 * @param flowId      token of the connection the REGISTER came in on
 * @param transport   transport of that flow (WS, WSS, TCP, UDP)
 * @param sourceHost  source address of the REGISTER
 * @param sourcePort  source port of the REGISTER
 * @param edgeId      edge instance holding the flow
 * @param edgeSipUri  SIP address of that edge ({@code sip:host:port;transport=tcp}, or {@code sip:host:port} for UDP),
 *                    where other edges proxy requests for this binding
 * @param tenantId    the user's tenant
 * @param expiresAt   epoch milliseconds when the binding expires
 * @param callId      Call-ID of the REGISTER (RFC 3261 section 10.3 step 7)
 * @param cseq        CSeq of the REGISTER
 */
public record Binding(String aor, String contact, String instanceId, int regId, String flowId, String transport,
                      String sourceHost, int sourcePort, String edgeId, String edgeSipUri, String tenantId,
                      long expiresAt, String callId, long cseq) {

    /** Key on the compacted topic and in the location service: {@code <aor>|<instance-or-contact>}. */
    public String key() {
        return aor + "|" + (instanceId != null ? instanceId + (regId > 0 ? "#" + regId : "") : contact);
    }

    public long secondsLeft(long nowMillis) {
        return Math.max(0, (expiresAt - nowMillis) / 1000);
    }

    public JsonObject toJson() {
        return new JsonObject().put("aor", aor).put("contact", contact).put("instanceId", instanceId)
                .put("regId", regId).put("flowId", flowId).put("transport", transport).put("sourceHost", sourceHost)
                .put("sourcePort", sourcePort).put("edgeId", edgeId).put("edgeSipUri", edgeSipUri)
                .put("tenantId", tenantId).put("expiresAt", expiresAt).put("callId", callId).put("cseq", cseq);
    }

    public static Binding fromJson(JsonObject j) {
        return new Binding(j.getString("aor"), j.getString("contact"), j.getString("instanceId"),
                j.getInteger("regId", 0), j.getString("flowId"), j.getString("transport"), j.getString("sourceHost"),
                j.getInteger("sourcePort", 0), j.getString("edgeId"), j.getString("edgeSipUri"), j.getString("tenantId"),
                j.getLong("expiresAt", 0L), j.getString("callId"), j.getLong("cseq", 0L));
    }
}
