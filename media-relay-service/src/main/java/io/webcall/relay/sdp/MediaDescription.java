package io.webcall.relay.sdp;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One media section ({@code m=} line and what follows it, RFC 8866 section 5.14).
 */
public final class MediaDescription {
    private final String media;
    private final int port;
    private final String protocol;
    private final List<String> formats;
    private final String connectionAddress;
    private final List<Attribute> attributes;

    public MediaDescription(String media, int port, String protocol, List<String> formats,
                            String connectionAddress, List<Attribute> attributes) {
        this.media = media;
        this.port = port;
        this.protocol = protocol;
        this.formats = List.copyOf(formats);
        this.connectionAddress = connectionAddress;
        this.attributes = List.copyOf(attributes);
    }

    public String media() { return media; }
    public int port() { return port; }
    public String protocol() { return protocol; }
    public List<String> formats() { return formats; }
    /** The media-level {@code c=} address, or null when only the session-level one applies. */
    public String connectionAddress() { return connectionAddress; }
    public List<Attribute> attributes() { return attributes; }

    public Optional<String> attribute(String name) {
        return attributes.stream().filter(a -> a.name().equalsIgnoreCase(name))
                .map(a -> a.value() == null ? "" : a.value()).findFirst();
    }

    public List<String> attributes(String name) {
        List<String> values = new ArrayList<>();
        for (Attribute a : attributes) {
            if (a.name().equalsIgnoreCase(name)) {
                values.add(a.value() == null ? "" : a.value());
            }
        }
        return values;
    }

    public boolean hasAttribute(String name) {
        return attributes.stream().anyMatch(a -> a.name().equalsIgnoreCase(name));
    }

    /** True for a secure WebRTC profile (UDP/TLS/RTP/SAVPF and relatives, RFC 5764 section 8). */
    public boolean isDtlsSrtp() {
        return protocol.toUpperCase().contains("TLS");
    }
}
