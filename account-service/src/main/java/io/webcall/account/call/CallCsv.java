package io.webcall.account.call;

import java.io.IOException;
import java.io.Writer;
import java.util.Objects;

/** CSV rows of call records (RFC 4180: comma, CRLF, quotes doubled). */
final class CallCsv {

    static final String HEADER = "id,callId,from,to,user,direction,status,startedAt,ringingAt,answeredAt,endedAt,"
            + "ringDurationMs,talkDurationMs,sipCode,cause,hangupBy,"
            + "callerToCalleeLossPercent,callerToCalleeJitterMs,callerToCalleeMos,"
            + "calleeToCallerLossPercent,calleeToCallerJitterMs,calleeToCallerMos\r\n";

    private CallCsv() {
    }

    static void write(Writer out, CallRecordView r) throws IOException {
        StringBuilder line = new StringBuilder(256);
        field(line, r.id()).append(',');
        field(line, r.callId()).append(',');
        field(line, r.from()).append(',');
        field(line, r.to()).append(',');
        field(line, r.user()).append(',');
        field(line, r.direction()).append(',');
        field(line, r.status()).append(',');
        field(line, r.startedAt()).append(',');
        field(line, r.ringingAt()).append(',');
        field(line, r.answeredAt()).append(',');
        field(line, r.endedAt()).append(',');
        field(line, r.ringDurationMs()).append(',');
        field(line, r.talkDurationMs()).append(',');
        field(line, r.sipCode()).append(',');
        field(line, r.cause()).append(',');
        field(line, r.hangupBy()).append(',');
        CallRecordView.Stream a = r.quality() == null ? null : r.quality().callerToCallee();
        CallRecordView.Stream b = r.quality() == null ? null : r.quality().calleeToCaller();
        stream(line, a).append(',');
        stream(line, b).append("\r\n");
        out.write(line.toString());
    }

    private static StringBuilder stream(StringBuilder line, CallRecordView.Stream s) {
        if (s == null) {
            return line.append(",,");
        }
        field(line, s.lossPercent()).append(',');
        field(line, s.jitterMs()).append(',');
        return field(line, s.mos());
    }

    private static StringBuilder field(StringBuilder line, Object value) {
        if (value == null) {
            return line;
        }
        String text = Objects.toString(value);
        if (!(value instanceof Number) && startsLikeFormula(text)) {
            // spreadsheets would evaluate it
            text = "'" + text;
        }
        boolean quote = text.indexOf(',') >= 0 || text.indexOf('"') >= 0 || text.indexOf('\n') >= 0
                || text.indexOf('\r') >= 0;
        if (!quote) {
            return line.append(text);
        }
        return line.append('"').append(text.replace("\"", "\"\"")).append('"');
    }

    private static boolean startsLikeFormula(String text) {
        if (text.isEmpty()) {
            return false;
        }
        char c = text.charAt(0);
        if (c == '=' || c == '@' || c == '\t' || c == '\r') {
            return true;
        }
        // +4930... is a phone number, +cmd|... is a formula
        return (c == '+' || c == '-') && (text.length() == 1 || !Character.isDigit(text.charAt(1)));
    }
}
