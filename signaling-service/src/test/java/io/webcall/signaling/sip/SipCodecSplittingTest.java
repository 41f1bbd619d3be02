package io.webcall.signaling.sip;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/** The codec's hand-written splitters give the same pieces as the regular expressions they replace. */
class SipCodecSplittingTest {

    private static final String[] HEADS = {
        "", "INVITE sip:a@b SIP/2.0", "a\r\nb\r\n", "a\nb\n\n", "a\r\r\nb", "\r\n\r\n", "a\r\n b\r\n\tc", "\n", "a\rb",
    };

    @Test
    void headerLinesSplitAtLfAndCrlfLikeTheRegex() {
        Pattern lineBreak = Pattern.compile("\r?\n");
        for (String head : HEADS) {
            assertArrayEquals(lineBreak.split(head, -1), SipCodec.splitLines(head), head);
        }
    }

    @Test
    void cseqSplitsAtRunsOfWhiteSpaceLikeTheRegex() {
        Pattern whiteSpace = Pattern.compile("\\s+");
        for (String value : new String[] {"", "1 INVITE", "1  \t INVITE", "1", "1 INVITE extra", "1\u000BINVITE"}) {
            assertArrayEquals(whiteSpace.split(value), SipCodec.splitWhiteSpace(value), value);
        }
    }
}
