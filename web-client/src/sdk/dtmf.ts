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
