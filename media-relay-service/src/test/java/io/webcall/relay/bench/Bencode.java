package io.webcall.relay.bench;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Bencode (strings, integers, lists, dictionaries) for rtpengine's ng control protocol. */
final class Bencode {

    private Bencode() {
    }

    static byte[] encode(Object value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        write(out, value);
        return out.toByteArray();
    }

    private static void write(ByteArrayOutputStream out, Object v) {
        if (v instanceof String s) {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            out.writeBytes((b.length + ":").getBytes(StandardCharsets.US_ASCII));
            out.writeBytes(b);
        } else if (v instanceof Number n) {
            out.writeBytes(("i" + n.longValue() + "e").getBytes(StandardCharsets.US_ASCII));
        } else if (v instanceof List<?> l) {
            out.write('l');
            l.forEach(x -> write(out, x));
            out.write('e');
        } else if (v instanceof Map<?, ?> m) {
            out.write('d');
            new TreeMap<>(m).forEach((k, x) -> {
                write(out, k);
                write(out, x);
            });
            out.write('e');
        } else {
            throw new IllegalArgumentException("cannot bencode " + v);
        }
    }

    static Object decode(byte[] b, int off) {
        return new Object() {
            int at = off;

            Object next() {
                byte c = b[at];
                if (c == 'i') {
                    int end = indexOf('e', at);
                    long n = Long.parseLong(new String(b, at + 1, end - at - 1, StandardCharsets.US_ASCII));
                    at = end + 1;
                    return n;
                }
                if (c == 'l') {
                    at++;
                    List<Object> l = new ArrayList<>();
                    while (b[at] != 'e') {
                        l.add(next());
                    }
                    at++;
                    return l;
                }
                if (c == 'd') {
                    at++;
                    Map<String, Object> m = new LinkedHashMap<>();
                    while (b[at] != 'e') {
                        String k = (String) next();
                        m.put(k, next());
                    }
                    at++;
                    return m;
                }
                int colon = indexOf(':', at);
                int len = Integer.parseInt(new String(b, at, colon - at, StandardCharsets.US_ASCII));
                String s = new String(b, colon + 1, len, StandardCharsets.UTF_8);
                at = colon + 1 + len;
                return s;
            }

            int indexOf(char ch, int from) {
                for (int i = from; i < b.length; i++) {
                    if (b[i] == ch) {
                        return i;
                    }
                }
                throw new IllegalArgumentException("truncated bencode");
            }
        }.next();
    }
}
