package io.webcall.signaling.sip;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/** The parser's hand-written splitters and search give the same results as the regular expressions and library calls they replace. */
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
    void startLineSplitsLikeSplitWithLimitThree() {
        for (String line : new String[] {"", "INVITE sip:a@b SIP/2.0", "SIP/2.0 200 OK", "SIP/2.0 486 Busy Here", "A  B C", "A B",
                "A", "A B ", " A B", "  ", "SIP/2.0 200"}) {
            assertArrayEquals(line.split(" ", 3), SipStartLineParser.splitStartLine(line), line);
        }
    }

    @Test
    void headEndIsFoundLikeAPlainSearch() {
        String[] texts = {"", "\r", "\r\n\r", "\r\n\r\n", "a\r\n\r\nb", "a\r\r\n\r\n", "\n\n", "a\n\r\n\r\n", "ab"};
        for (String t : texts) {
            byte[] data = t.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
            assertEquals(t.indexOf("\r\n\r\n"), SipCodec.indexOf(data, new byte[] {'\r', '\n', '\r', '\n'}), t);
            assertEquals(t.indexOf("\n\n"), SipCodec.indexOf(data, new byte[] {'\n', '\n'}), t);
        }
    }

    @Test
    void cseqSplitsAtRunsOfWhiteSpaceLikeTheRegex() {
        Pattern whiteSpace = Pattern.compile("\\s+");
        for (String value : new String[] {"", "1 INVITE", "1  \t INVITE", "1", "1 INVITE extra", "1\u000BINVITE"}) {
            assertArrayEquals(whiteSpace.split(value), SipMessageValidator.splitWhiteSpace(value), value);
        }
    }
}
