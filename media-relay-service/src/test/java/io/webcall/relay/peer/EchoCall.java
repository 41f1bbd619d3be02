package io.webcall.relay.peer;

import io.webcall.relay.control.RelayApi;

import java.util.concurrent.TimeUnit;

/** A test peer connected to the relay in echo mode (Opus, payload type 111). */
public record EchoCall(String callId, TestPeer peer, String answer) implements AutoCloseable {

    public static EchoCall open(String prefix) throws Exception {
        String callId = prefix + "-" + System.nanoTime();
        TestPeer peer = new TestPeer();
        try {
            String answer = RelayApi.offer(callId, peer.offer("sendrecv"), "webrtc", "echo");
            peer.connect(answer).get(15, TimeUnit.SECONDS);
            return new EchoCall(callId, peer, answer);
        } catch (Exception e) {
            peer.close();
            RelayApi.deleteIfPresent(callId);
            throw e;
        }
    }

    /** Sends {@code count} Opus packets and returns how many came back. */
    public int roundTrip(int count) throws Exception {
        peer.clearReceived();
        for (int i = 0; i < count; i++) {
            peer.sendRtp(111, new byte[80]);
            Thread.sleep(5);
        }
        return peer.collect(1000).size();
    }

    @Override
    public void close() {
        peer.close();
        RelayApi.deleteIfPresent(callId);
    }
}
