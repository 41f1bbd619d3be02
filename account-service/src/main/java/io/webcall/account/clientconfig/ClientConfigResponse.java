package io.webcall.account.clientconfig;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.util.List;

/** What the browser SDK needs to connect: its identity, the edge URLs and the ICE servers. */
@Schema(name = "ClientConfig")
public record ClientConfigResponse(
        @Schema(example = "sip:alice@acme.example.com") String identity,
        @Schema(example = "acme.example.com") String domain,
        Edge edge,
        @Schema(description = "RTCIceServer entries for RTCPeerConnection") List<IceServer> iceServers,
        @Schema(description = "seconds the TURN credentials stay valid", nullable = true) Long turnCredentialTtl) {

    /** The signaling edge. */
    @Schema(name = "EdgeConfig")
    public record Edge(@Schema(description = "SIP over WebSocket URLs (RFC 7118), in order of preference") List<String> websocketUrls) {
    }

    /** One RTCIceServer (W3C WebRTC); username and credential only for TURN. */
    @Schema(name = "IceServer")
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record IceServer(List<String> urls,
                            @Schema(description = "<expiry unix time>:<user>", nullable = true) String username,
                            @Schema(description = "base64 HMAC-SHA1 of the username with the TURN secret", nullable = true) String credential) {
    }
}
