import type { CallContext, Session } from './call-types';

/* eslint-disable @typescript-eslint/no-explicit-any */

/**
 * The other party asks this phone to call someone else (RFC 3515 REFER; with Replaces inside the
 * Refer-To for an attended transfer, RFC 3891). JsSIP has already answered 202; following it starts a
 * new session, handed to `started(target, session)`, whose progress JsSIP reports back in NOTIFYs.
 */
export function followRefer(event: any, ctx: CallContext, started: (target: string, session: Session) => void): void {
  const target = String(event.request?.refer_to?.uri ?? '');
  if (!ctx.acceptTransfers || !target) {
    event.reject();
    return;
  }
  event.accept((session: Session) => started(target, session), {
    mediaConstraints: ctx.mediaConstraints(),
    pcConfig: ctx.pcConfig(),
    sessionTimersExpires: ctx.sessionExpires,
    extraHeaders: ctx.extraHeaders(),
  });
}

/**
 * An INVITE with Replaces (RFC 3891) for a call of this phone: the transferee of an attended transfer
 * takes it over. The new session is claimed (so the phone does not announce it as a new incoming call)
 * and handed to `accepted(session)`; JsSIP ends the replaced call once the new one is confirmed.
 */
export function acceptReplaces(event: any, ctx: CallContext, accepted: (session: Session) => void): void {
  if (!ctx.acceptTransfers) {
    event.reject();
    return;
  }
  event.accept((session: Session) => {
    ctx.claimed.add(session);
    accepted(session);
  });
}
