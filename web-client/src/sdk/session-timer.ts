/**
 * Session timer negotiation (RFC 4028). A UAS that finds the offered Session-Expires too small
 * answers 422 with a Min-SE header (RFC 4028 section 6); the UAC then retries with a
 * Session-Expires at least that large (section 7.4).
 */

/** RFC 4028 section 4: Min-SE never goes below 90 seconds. */
export const MIN_SESSION_EXPIRES = 90;

/** Parses a Min-SE header value ("1800" or "1800;param=x"); null when absent or malformed. */
export function parseMinSe(value: string | null | undefined): number | null {
  if (!value) return null;
  const match = /^\s*(\d{1,10})\s*(;.*)?$/.exec(value);
  if (!match) return null;
  const seconds = Number(match[1]);
  return seconds >= MIN_SESSION_EXPIRES ? seconds : null;
}

/**
 * The Session-Expires to use on the retry after a 422, or null when a retry would not help
 * (no usable Min-SE, or not larger than what was already offered).
 */
export function sessionExpiresAfter422(minSeHeader: string | null | undefined, offered: number): number | null {
  const minSe = parseMinSe(minSeHeader);
  if (minSe === null || minSe <= offered) return null;
  return minSe;
}
