package io.webcall.signaling.testsupport;

import io.webcall.signaling.auth.Digest;
import io.webcall.signaling.sip.SipHeaders;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Sends hand-written SIP messages over a WebSocket (subprotocol {@code sip}), UDP or TCP and collects what comes back,
 * for protocol-level tests (malformed input, keep-alives, digest details) that no user agent would produce.
 */
public final class RawSipClient implements AutoCloseable {

    private final LinkedBlockingQueue<String> received = new LinkedBlockingQueue<>();
    private WebSocket ws;
    private DatagramSocket udp;
    private InetSocketAddress udpTarget;
    private Socket tcp;
    private volatile boolean closed;
    private volatile int closeCode = -1;

    public static RawSipClient webSocket(String url) throws Exception {
        return webSocket(url, null);
    }

    /** A WebSocket whose opening handshake carries {@code origin} (null: no Origin header). */
    public static RawSipClient webSocket(String url, String origin) throws Exception {
        RawSipClient c = new RawSipClient();
        WebSocket.Builder b = HttpClient.newHttpClient().newWebSocketBuilder().subprotocols("sip").connectTimeout(Duration.ofSeconds(5));
        if (origin != null) {
            b.header("Origin", origin);
        }
        c.ws = b.buildAsync(URI.create(url), c.listener()).get(20, TimeUnit.SECONDS);
        return c;
    }

    public static RawSipClient udp(String host, int port) throws Exception {
        RawSipClient c = new RawSipClient();
        c.udp = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0));
        c.udpTarget = new InetSocketAddress(host, port);
        Thread t = new Thread(() -> {
            byte[] buf = new byte[65536];
            while (!c.udp.isClosed()) {
                try {
                    DatagramPacket p = new DatagramPacket(buf, buf.length);
                    c.udp.receive(p);
                    c.received.add(new String(p.getData(), 0, p.getLength(), StandardCharsets.UTF_8));
                } catch (Exception e) {
                    return;
                }
            }
        }, "raw-udp");
        t.setDaemon(true);
        t.start();
        return c;
    }

    /** A TCP connection (RFC 3261 section 18.3: messages framed by Content-Length). */
    public static RawSipClient tcp(String host, int port) throws Exception {
        RawSipClient c = new RawSipClient();
        c.tcp = new Socket();
        c.tcp.connect(new InetSocketAddress(host, port), 5000);
        Thread t = new Thread(() -> {
            try {
                InputStream in = c.tcp.getInputStream();
                String m;
                while ((m = readStreamMessage(in)) != null) {
                    c.received.add(m);
                }
            } catch (IOException e) {
                // the connection closed
            }
            c.closed = true;
        }, "raw-tcp");
        t.setDaemon(true);
        t.start();
        return c;
    }

    /** One message off a stream: the head up to its blank line, then Content-Length bytes; null at the end. */
    private static String readStreamMessage(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) >= 0) {
            head.write(b);
            byte[] h = head.toByteArray();
            int n = h.length;
            if (n == 2 && h[0] == '\r' && h[1] == '\n') {
                head.reset(); // a CRLF keep-alive between messages
            } else if (n >= 4 && h[n - 4] == '\r' && h[n - 3] == '\n' && h[n - 2] == '\r' && h[n - 1] == '\n') {
                String text = head.toString(StandardCharsets.UTF_8);
                String length = header(text, "Content-Length");
                byte[] body = in.readNBytes(length == null ? 0 : Integer.parseInt(length));
                return text + new String(body, StandardCharsets.UTF_8);
            }
        }
        return null;
    }

    public int localPort() {
        return udp != null ? udp.getLocalPort() : tcp.getLocalPort();
    }

    private WebSocket.Listener listener() {
        return new WebSocket.Listener() {
            private final StringBuilder text = new StringBuilder();

            @Override
            public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                text.append(data);
                if (last) {
                    received.add(text.toString());
                    text.setLength(0);
                }
                webSocket.request(1);
                return null;
            }

            @Override
            public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
                closed = true;
                closeCode = statusCode;
                return null;
            }

            @Override
            public void onError(WebSocket webSocket, Throwable error) {
                closed = true;
            }
        };
    }

    public void send(String message) throws Exception {
        if (ws != null) {
            ws.sendText(message, true).get(5, TimeUnit.SECONDS);
        } else if (tcp != null) {
            OutputStream out = tcp.getOutputStream();
            out.write(message.getBytes(StandardCharsets.UTF_8));
            out.flush();
        } else {
            byte[] b = message.getBytes(StandardCharsets.UTF_8);
            udp.send(new DatagramPacket(b, b.length, udpTarget));
        }
    }

    /** Sends raw bytes (a binary frame on a WebSocket): for messages that are not valid UTF-8. */
    public void sendBytes(byte[] b) throws Exception {
        if (ws != null) {
            ws.sendBinary(java.nio.ByteBuffer.wrap(b), true).get(5, TimeUnit.SECONDS);
        } else if (tcp != null) {
            tcp.getOutputStream().write(b);
            tcp.getOutputStream().flush();
        } else {
            udp.send(new DatagramPacket(b, b.length, udpTarget));
        }
    }

    /** The next message received, or null after the timeout. */
    public String receive(Duration timeout) throws InterruptedException {
        return received.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The next response that is not a 100 Trying, or null. */
    public String receiveFinal(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            String m = receive(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
            if (m != null && !m.startsWith("SIP/2.0 100")) {
                return m;
            }
        }
        return null;
    }

    public boolean isClosed() {
        return closed;
    }

    public int closeCode() {
        return closeCode;
    }

    @Override
    public void close() {
        if (ws != null && !closed) {
            ws.abort();
        }
        if (udp != null) {
            udp.close();
        }
        if (tcp != null) {
            try {
                tcp.close();
            } catch (IOException e) {
                // already closed
            }
        }
    }

    /**
     * The Authorization value answering a digest {@code challenge} (a WWW-Authenticate value) with qop=auth (RFC 7616
     * section 3.4).
     */
    public static String digestAuthorization(String challenge, String algorithm, String user, String password, String method,
            String uri, String nc) {
        Map<String, String> p = SipHeaders.authParams(challenge);
        String ha1 = Digest.hash(algorithm, user + ":" + p.get("realm") + ":" + password);
        String cnonce = "c" + nc;
        String response = Digest.response(algorithm, ha1, method, uri, p.get("nonce"), nc, cnonce, "auth");
        return "Digest username=\"" + user + "\", realm=\"" + p.get("realm") + "\", nonce=\"" + p.get("nonce")
                + "\", uri=\"" + uri + "\", algorithm=" + algorithm + ", qop=auth, nc=" + nc + ", cnonce=\"" + cnonce
                + "\", response=\"" + response + "\"";
    }

    /** Value of a header in a received message, or null. */
    public static String header(String message, String name) {
        for (String line : message.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase(name)) {
                return line.substring(colon + 1).trim();
            }
        }
        return null;
    }

    /** Every value of a header in a received message. */
    public static java.util.List<String> headers(String message, String name) {
        java.util.List<String> out = new java.util.ArrayList<>();
        for (String line : message.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase(name)) {
                out.add(line.substring(colon + 1).trim());
            }
        }
        return out;
    }

    public static int status(String response) {
        return Integer.parseInt(response.substring(8, 11));
    }
}
