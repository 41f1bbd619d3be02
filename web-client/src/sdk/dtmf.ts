/** DTMF digits: RFC 4733 telephone-events through RTCDTMFSender, SIP INFO (application/dtmf-relay) as fallback. */

export type DtmfTransport = 'auto' | 'rfc4733' | 'info';

const DIGITS = /^[0-9A-Da-d#*,]+$/;

/** Validates and normalises a digit string ("12a#" -> "12A#"); throws a TypeError naming the bad input. */
export function normalizeDigits(digits: string | number): string {
  const text = typeof digits === 'number' ? String(digits) : digits;
  if (typeof text !== 'string' || text.length === 0) throw new TypeError('digits must be a non-empty string');
  if (!DIGITS.test(text)) {
    const bad = [...text].find((c) => !DIGITS.test(c));
    throw new TypeError(`invalid DTMF digit "${bad}" (allowed: 0-9 A-D * # and "," for a pause)`);
  }
  return text.toUpperCase();
}

/** Chooses the transport: RFC 4733 when asked or when the sender can insert DTMF, else SIP INFO. */
export function chooseDtmfTransport(preferred: DtmfTransport, canInsertDtmf: boolean): 'rfc4733' | 'info' {
  if (preferred === 'info') return 'info';
  if (canInsertDtmf) return 'rfc4733';
  return 'info';
}

/** Time the tone train takes (a "," is a 2 s pause per the RTCDTMFSender spec). */
export function dtmfDurationMs(digits: string, toneMs: number, gapMs: number): number {
  let total = 0;
  for (const d of digits) total += d === ',' ? 2000 : toneMs + gapMs;
  return total;
}

/**
 * Sends a tone train on a call: RFC 4733 telephone-events through the audio sender's
 * RTCDTMFSender when telephone-event was negotiated (or asked for), else SIP INFO with
 * application/dtmf-relay through JsSIP. Resolves once the tones have been played out.
 */
export function sendDtmf(
  pc: RTCPeerConnection | null,
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  session: any,
  tones: string,
  preferred: DtmfTransport,
  durationMs: number,
  gapMs: number,
): Promise<void> {
  const sender = pc?.getSenders().find((s) => s.track?.kind === 'audio');
  const dtmf = sender?.dtmf ?? null;
  const transport = chooseDtmfTransport(preferred, !!dtmf && dtmf.canInsertDTMF !== false);
  if (transport === 'rfc4733' && dtmf) {
    return new Promise((resolve) => {
      const finish = setTimeout(done, dtmfDurationMs(tones, durationMs, gapMs) + 500);
      function done() {
        clearTimeout(finish);
        dtmf!.removeEventListener('tonechange', onTone);
        resolve();
      }
      const onTone = (e: Event) => {
        if ((e as RTCDTMFToneChangeEvent).tone === '') done();
      };
      dtmf.addEventListener('tonechange', onTone);
      dtmf.insertDTMF(tones, durationMs, Math.max(30, gapMs));
    });
  }
  session.sendDTMF(tones, { transportType: 'INFO', duration: durationMs, interToneGap: gapMs });
  return new Promise((resolve) => setTimeout(resolve, dtmfDurationMs(tones, durationMs, gapMs)));
}

/**
 * Waits (at most `timeoutMs`) until the call's audio sender can insert DTMF, when telephone-event was
 * negotiated (RFC 4733 in the remote description): a browser sets canInsertDTMF only once its audio
 * stream is sending, a moment after the answer. Without telephone-event there is nothing to wait for.
 */
export async function dtmfSenderReady(pc: RTCPeerConnection | null, timeoutMs: number, pollMs = 50): Promise<void> {
  const dtmf = pc?.getSenders().find((s) => s.track?.kind === 'audio')?.dtmf;
  if (!dtmf || !/^a=rtpmap:\d+ telephone-event\//im.test(pc?.remoteDescription?.sdp ?? '')) return;
  const until = Date.now() + timeoutMs;
  while (dtmf.canInsertDTMF === false && Date.now() < until) await new Promise((r) => setTimeout(r, pollMs));
}
