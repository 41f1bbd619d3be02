/** Access-token helpers: the SDK reads the JWT's claims (it never verifies them: the edge does). */
export interface TokenClaims {
  sub: string;
  aor?: string;
  domain?: string;
  tenant?: string;
  grants?: string[];
  exp?: number;
  iat?: number;
  [claim: string]: unknown;
}

function base64UrlDecode(segment: string): string {
  const b64 = segment.replace(/-/g, '+').replace(/_/g, '/');
  const padded = b64 + '='.repeat((4 - (b64.length % 4)) % 4);
  if (typeof atob === 'function') {
    const binary = atob(padded);
    const bytes = Uint8Array.from(binary, (c) => c.charCodeAt(0));
    return new TextDecoder().decode(bytes);
  }
  throw new Error('no base64 decoder available');
}

/** Decodes the payload of a compact JWS; throws a TypeError naming the problem when malformed. */
export function decodeToken(token: string): TokenClaims {
  if (typeof token !== 'string' || token.split('.').length !== 3) {
    throw new TypeError('access token must be a JWT (three dot-separated parts)');
  }
  let claims: unknown;
  try {
    claims = JSON.parse(base64UrlDecode(token.split('.')[1]));
  } catch {
    throw new TypeError('access token payload is not base64url-encoded JSON');
  }
  if (!claims || typeof claims !== 'object' || typeof (claims as TokenClaims).sub !== 'string') {
    throw new TypeError('access token has no "sub" claim');
  }
  return claims as TokenClaims;
}

/** The SIP address of record a token is for: the `aor` claim, else sub@domain. */
export function tokenAor(claims: TokenClaims): string {
  if (typeof claims.aor === 'string' && claims.aor.startsWith('sip:')) return claims.aor;
  if (!claims.domain) throw new TypeError('access token has neither "aor" nor "domain"');
  return `sip:${claims.sub}@${claims.domain}`;
}

/**
 * Milliseconds from `nowMs` until the expiry warning should fire: `warnBeforeSeconds` ahead of
 * `exp`. Zero when that moment has passed; null when the token has no expiry.
 */
export function msUntilExpiryWarning(claims: TokenClaims, nowMs: number, warnBeforeSeconds: number): number | null {
  if (typeof claims.exp !== 'number') return null;
  return Math.max(0, claims.exp * 1000 - warnBeforeSeconds * 1000 - nowMs);
}
