package io.webcall.relay.sip;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * The few SIP requests a test needs to get an SDP answer from a real PBX stand-in over UDP
 * (RFC 3261): INVITE, ACK for the 2xx, BYE. Plays the signaling edge's part toward the PBX.
 */
public final class SipUac implements AutoCloseable {

    private final DatagramSocket socket;
    private final InetSocketAddress target;
    private final String callId;
    private final String fromTag = "uac" + UUID.randomUUID().toString().substring(0, 8);
    private String toHeader;
    private int cseq = 1;

    public SipUac(InetSocketAddress target, String callId) throws IOException {
        this.socket = new DatagramSocket(0, InetAddress.getLoopbackAddress());
        this.socket.setSoTimeout(5000);
        this.target = target;
        this.callId = callId;
    }

    /** Sends INVITE with the SDP offer, acknowledges the 200 OK and returns its SDP answer. */
    public String invite(String sdpOffer) throws IOException {
        String branch = branch();
        int inviteCseq = cseq++;
        send(request("INVITE", branch, inviteCseq, "To: <sip:pbx@127.0.0.1:" + target.getPort() + ">",
                "Content-Type: application/sdp\r\n", sdpOffer));
        while (true) {
            String response = receive();
            int status = Integer.parseInt(response.substring(8, 11));
            if (status < 200) {
                continue;
            }
            if (status >= 300) {
                throw new IOException("INVITE failed: " + response.lines().findFirst().orElse(""));
            }
            toHeader = header(response, "To");
            send(request("ACK", branch(), inviteCseq, "To: " + toHeader, "", ""));
            int body = response.indexOf("\r\n\r\n");
            return response.substring(body + 4);
        }
    }

    /** Ends the call. */
    public void bye() throws IOException {
        send(request("BYE", branch(), cseq++, "To: " + toHeader, "", ""));
        try {
            receive();
        } catch (SocketTimeoutException ignored) {
            // the PBX stand-in may already be gone
        }
    }

    private String request(String method, String branch, int seq, String to, String extraHeaders, String body) {
        String local = "127.0.0.1:" + socket.getLocalPort();
        return method + " sip:pbx@127.0.0.1:" + target.getPort() + " SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP " + local + ";branch=" + branch + "\r\n"
                + "Max-Forwards: 70\r\n"
                + "From: <sip:alice@demo.localhost>;tag=" + fromTag + "\r\n"
                + to + "\r\n"
                + "Call-ID: " + callId + "\r\n"
                + "CSeq: " + seq + " " + method + "\r\n"
                + "Contact: <sip:alice@" + local + ">\r\n"
                + extraHeaders
                + "Content-Length: " + body.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n" + body;
    }

    private static String header(String message, String name) {
        for (String line : message.split("\r\n")) {
            if (line.regionMatches(true, 0, name + ":", 0, name.length() + 1)) {
                return line.substring(name.length() + 1).trim();
            }
        }
        throw new IllegalArgumentException("no " + name + " header in " + message);
    }

    private static String branch() {
        return "z9hG4bK" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
    }

    private void send(String message) throws IOException {
        byte[] bytes = message.getBytes(StandardCharsets.UTF_8);
        socket.send(new DatagramPacket(bytes, bytes.length, target));
    }

    private String receive() throws IOException {
        byte[] buf = new byte[8192];
        DatagramPacket packet = new DatagramPacket(buf, buf.length);
        socket.receive(packet);
        return new String(buf, 0, packet.getLength(), StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        socket.close();
    }
}
