package io.webcall.relay.sdp;

import java.util.List;
import java.util.Optional;

/**
 * A parsed SDP body (RFC 8866): session-level attributes and connection plus the media sections.
 */
public record SessionDescription(String origin, String connectionAddress, List<Attribute> attributes,
                                 List<MediaDescription> media) {

    public Optional<String> attribute(String name) {
        return attributes.stream().filter(a -> a.name().equalsIgnoreCase(name))
                .map(a -> a.value() == null ? "" : a.value()).findFirst();
    }

    /** The first audio section; the relay bridges exactly one audio stream. */
    public MediaDescription audio() {
        return media.stream().filter(m -> m.media().equals("audio") && m.port() != 0).findFirst()
                .orElseThrow(() -> new SdpParseException("SDP has no active audio m-line"));
    }

    /** Attribute from the audio section, falling back to the session level (RFC 8866 section 5). */
    public Optional<String> audioAttribute(String name) {
        Optional<String> media = audio().attribute(name);
        return media.isPresent() ? media : attribute(name);
    }

    /** The address media is sent to for the audio section. */
    public String audioConnectionAddress() {
        String address = audio().connectionAddress();
        return address != null ? address : connectionAddress;
    }
}
