package io.webcall.signaling.proxy;

import io.webcall.signaling.media.MediaKind;
import io.webcall.signaling.tenant.Tenant;
import io.webcall.signaling.transport.Transport;

import java.util.List;

/**
 * Where one branch of a forwarded request goes (RFC 3261 section 16.5): the new Request-URI, the next hop,
 * the media kind of the receiving side and, for PBX trunks, the credentials to answer digest challenges.
 *
 * @param requestUri Request-URI for the branch
 * @param flowId     connection to send on (a browser's WebSocket), or null to resolve {@code host:port}
 * @param host       next-hop host when {@code flowId} is null
 * @param port       next-hop port
 * @param transport  next-hop transport
 * @param routes     Route header values to put on the request (next hops after the first)
 * @param kind       media kind of the receiving side
 * @param trunk      the PBX trunk this branch goes to, or null
 */
public record Target(String requestUri, String flowId, String host, int port, Transport transport,
                     List<String> routes, MediaKind kind, Tenant.Trunk trunk) {
}
