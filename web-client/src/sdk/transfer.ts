import { WebcallError } from './errors';

/* eslint-disable @typescript-eslint/no-explicit-any */

/**
 * Sends a REFER (RFC 3515) on a JsSIP session asking the other party to call `target`; with
 * `replaces` (the consultation session) the Refer-To carries a Replaces header (RFC 3891) for an
 * attended transfer. `progress` sees the sipfrag status of every NOTIFY. Resolves with the final
 * status once the transferee reports success; rejects when the REFER or the new call fails.
 */
export function sendRefer(
  session: any,
  target: string,
  replaces: any | undefined,
  progress: (status: number, final: boolean) => void,
): Promise<number> {
  return new Promise((resolve, reject) => {
    const statusOf = (e: any) => Number(e?.response?.status_code ?? e?.request?.status_code ?? 0);
    const ok = session.refer(target, {
      replaces,
      eventHandlers: {
        requestFailed: (e: any) =>
          reject(new WebcallError('request-failed', `REFER rejected: ${e?.cause ?? 'failed'}`, statusOf(e) || undefined)),
        trying: (e: any) => progress(statusOf(e) || 100, false),
        progress: (e: any) => progress(statusOf(e) || 180, false),
        accepted: (e: any) => {
          const status = statusOf(e) || 200;
          progress(status, true);
          resolve(status);
        },
        failed: (e: any) => {
          const status = statusOf(e) || 0;
          progress(status, true);
          reject(new WebcallError('request-failed', `transfer failed${status ? ` with ${status}` : ''}`, status || undefined));
        },
      },
    });
    if (ok === false) reject(new WebcallError('invalid-state', 'cannot transfer right now'));
  });
}
