package io.webcall.relay.sdp;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the payload formats of an audio section and intersects codec lists (RFC 3264 section 6.1:
 * an answer keeps a subset of the offered formats).
 */
public final class Codecs {

    private Codecs() {
    }

    /** Static payload types of RFC 3551 table 4 that the relay knows without an rtpmap. */
    private static Codec staticCodec(int pt) {
        return switch (pt) {
            case 0 -> new Codec(0, "PCMU", 8000, 1, null);
            case 8 -> new Codec(8, "PCMA", 8000, 1, null);
            default -> null;
        };
    }

    /** All formats of the section, in the order of the m= line. Unknown formats are skipped. */
    public static List<Codec> of(MediaDescription media) {
        Map<Integer, String> rtpmaps = new HashMap<>();
        Map<Integer, String> fmtps = new HashMap<>();
        for (String value : media.attributes("rtpmap")) {
            int space = value.indexOf(' ');
            if (space > 0) {
                parsePt(value.substring(0, space)).ifPresent(pt -> rtpmaps.put(pt, value.substring(space + 1).trim()));
            }
        }
        for (String value : media.attributes("fmtp")) {
            int space = value.indexOf(' ');
            if (space > 0) {
                parsePt(value.substring(0, space)).ifPresent(pt -> fmtps.put(pt, value.substring(space + 1).trim()));
            }
        }
        List<Codec> codecs = new ArrayList<>();
        for (String format : media.formats()) {
            var ptOpt = parsePt(format);
            if (ptOpt.isEmpty()) {
                continue;
            }
            int pt = ptOpt.get();
            String map = rtpmaps.get(pt);
            Codec codec;
            if (map != null) {
                String[] parts = map.split("/");
                try {
                    codec = new Codec(pt, parts[0], Integer.parseInt(parts[1]),
                            parts.length > 2 ? Integer.parseInt(parts[2]) : 1, fmtps.get(pt));
                } catch (RuntimeException e) {
                    throw new SdpParseException("bad a=rtpmap for payload type " + pt + ": " + map);
                }
            } else {
                codec = staticCodec(pt);
                if (codec == null) {
                    continue;
                }
                codec = codec.withFmtp(fmtps.get(pt));
            }
            codecs.add(codec);
        }
        return codecs;
    }

    /** The formats the relay can pass through; telephone-event only at a clock rate of a kept codec. */
    public static List<Codec> supported(List<Codec> codecs) {
        List<Codec> audio = codecs.stream().filter(c -> c.isSupported() && !c.isTelephoneEvent()).toList();
        List<Codec> result = new ArrayList<>();
        for (Codec c : codecs) {
            if (!c.isSupported()) {
                continue;
            }
            if (c.isTelephoneEvent() && audio.stream().noneMatch(a -> a.clockRate() == c.clockRate())) {
                continue;
            }
            result.add(c);
        }
        return result;
    }

    /**
     * The answerer's formats that match an offered format, carrying the offerer's payload type numbers
     * (what the offerer expects to receive) in the answerer's order.
     */
    public static List<Codec> answerForOfferer(List<Codec> offered, List<Codec> answered) {
        Map<String, Codec> byKey = new LinkedHashMap<>();
        for (Codec c : offered) {
            byKey.putIfAbsent(c.key(), c);
        }
        List<Codec> result = new ArrayList<>();
        for (Codec a : answered) {
            Codec o = byKey.get(a.key());
            if (o != null && result.stream().noneMatch(r -> r.payloadType() == o.payloadType())) {
                result.add(a.withPayloadType(o.payloadType()));
            }
        }
        return result;
    }

    private static java.util.Optional<Integer> parsePt(String text) {
        try {
            int pt = Integer.parseInt(text.trim());
            return pt >= 0 && pt <= 127 ? java.util.Optional.of(pt) : java.util.Optional.empty();
        } catch (NumberFormatException e) {
            return java.util.Optional.empty();
        }
    }
}
