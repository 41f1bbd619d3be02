package io.webcall.signaling.dialog;

import io.webcall.signaling.sip.SipMessage;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class EdgeHangupCauseTest {

    static final String SECRET = "deployment-secret";

    static SipMessage bye(long cseq) {
        SipMessage m = SipMessage.request("BYE", "sip:alice@alice.invalid;transport=ws");
        m.add("From", "<sip:bob@demo.localhost>;tag=bobtag");
        m.add("To", "<sip:alice@demo.localhost>;tag=alicetag");
        m.add("Call-ID", "call-1");
        m.add("CSeq", cseq + " BYE");
        return m;
    }

    @Test
    void causeSignedByAnEdgeIsBelievedAndRemoved() {
        SipMessage m = bye(7);
        EdgeHangupCause.add(m, EdgeHangupCause.WS_LOST, SECRET);
        assertEquals(EdgeHangupCause.WS_LOST, EdgeHangupCause.take(m, SECRET));
        assertNull(m.header(EdgeHangupCause.HEADER), "never forwarded");
    }

    @Test
    void causeWithoutOrWithAWrongSignatureIsIgnoredAndRemoved() {
        SipMessage unsigned = bye(7);
        unsigned.add(EdgeHangupCause.HEADER, EdgeHangupCause.WS_LOST);
        assertNull(EdgeHangupCause.take(unsigned, SECRET));
        assertNull(unsigned.header(EdgeHangupCause.HEADER));

        SipMessage forged = bye(7);
        EdgeHangupCause.add(forged, EdgeHangupCause.WS_LOST, "another-secret");
        assertNull(EdgeHangupCause.take(forged, SECRET));
        assertNull(forged.header(EdgeHangupCause.HEADER));
    }

    @Test
    void signatureCopiedToAnotherRequestOrCauseIsIgnored() {
        SipMessage signed = bye(7);
        EdgeHangupCause.add(signed, EdgeHangupCause.WS_LOST, SECRET);
        String value = signed.header(EdgeHangupCause.HEADER);

        SipMessage replayed = bye(8);
        replayed.add(EdgeHangupCause.HEADER, value);
        assertNull(EdgeHangupCause.take(replayed, SECRET), "bound to the CSeq of the request it was made for");

        SipMessage otherCause = bye(7);
        otherCause.add(EdgeHangupCause.HEADER, value.replace(EdgeHangupCause.WS_LOST, EdgeHangupCause.SESSION_TIMER_EXPIRED));
        assertNull(EdgeHangupCause.take(otherCause, SECRET), "bound to its cause");
    }

    @Test
    void unknownCauseOrNoSecretIsNeverBelieved() {
        SipMessage m = bye(7);
        EdgeHangupCause.add(m, "normal", SECRET);
        assertNull(m.header(EdgeHangupCause.HEADER), "only the platform's own causes are signed");
        SipMessage n = bye(7);
        EdgeHangupCause.add(n, EdgeHangupCause.WS_LOST, SECRET);
        assertNull(EdgeHangupCause.take(n, null));
    }
}
