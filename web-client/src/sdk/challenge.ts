/**
 * Digest challenge selection. A server may offer several challenges in one 401/407 (RFC 8760
 * section 2.4: SHA-256 and MD5, most preferred first, plus Bearer per RFC 8898). JsSIP keeps only
 * the LAST header field of that name and only knows MD5, so with such a response it gives up
 * (e.g. when a Bearer challenge comes last). Keeping only the MD5 Digest challenge lets it answer.
 */

const CHALLENGE_HEADER = /^(www-authenticate|proxy-authenticate)\s*:\s*(.*)$/i;

/** True for a Digest challenge with MD5 (or no algorithm, which means MD5: RFC 7616 section 3.3). */
export function isMd5Digest(value: string): boolean {
  if (!/^\s*digest\s/i.test(value)) return false;
  const algorithm = /(?:^|[\s,])algorithm\s*=\s*"?([A-Za-z0-9-]+)"?/i.exec(value);
  return !algorithm || algorithm[1].toUpperCase() === 'MD5';
}

/**
 * Reduces the challenge header fields of a 401/407 response, per header name, to the first MD5
 * Digest challenge when there are several. Any other message is returned unchanged.
 */
export function preferAnswerableChallenge(message: string): string {
  if (!/^SIP\/2\.0 (401|407) /.test(message)) return message;
  const split = message.indexOf('\r\n\r\n');
  const head = split >= 0 ? message.slice(0, split) : message;
  const rest = split >= 0 ? message.slice(split) : '';
  const lines = head.split('\r\n');
  for (const name of ['www-authenticate', 'proxy-authenticate']) {
    const positions: number[] = [];
    lines.forEach((line, i) => {
      const m = CHALLENGE_HEADER.exec(line);
      if (m && m[1].toLowerCase() === name) positions.push(i);
    });
    if (positions.length < 2) continue;
    const value = (i: number) => CHALLENGE_HEADER.exec(lines[i])![2];
    const usable = positions.find((i) => isMd5Digest(value(i)));
    if (usable === undefined) continue;
    for (const i of [...positions].reverse()) if (i !== usable) lines.splice(i, 1);
  }
  return lines.join('\r\n') + rest;
}

/** Wraps a JsSIP socket so that incoming messages pass through `preferAnswerableChallenge`. */
export function withAnswerableChallenges<T extends { ondata: unknown }>(socket: T): T {
  let handler: ((data: unknown) => void) | null = null;
  Object.defineProperty(socket, 'ondata', {
    configurable: true,
    get: () => (data: unknown) => handler?.(typeof data === 'string' ? preferAnswerableChallenge(data) : data),
    set: (fn: (data: unknown) => void) => {
      handler = fn;
    },
  });
  return socket;
}
