import { IceGatheringPolicy, iceServerKinds, type IceGatheringOptions } from './ice-gathering';
import type { Session } from './call-types';

/* eslint-disable @typescript-eslint/no-explicit-any */

/** What a call does with the events of its JsSIP session (JsSIP's RTCSession event names in comments). */
export interface SessionEventSink {
  iceServers(): RTCIceServer[] | undefined;
  iceGathering: IceGatheringOptions;
  /** The offer or answer may go out: `reason` says which rule of the gathering policy fired. */
  iceReady(reason: string, candidates: number, ms: number): void;
  /** `peerconnection`: the call's RTCPeerConnection; `regather()` starts a fresh gathering policy. */
  peerConnection(pc: RTCPeerConnection, regather: () => void): void;
  /** `progress`: a provisional response; `early` when it carried SDP (early media). */
  progress(early: boolean): void;
  /** `accepted` / `confirmed`. */
  active(): void;
  /** `hold` / `unhold`, by this phone (`local`) or the other party. */
  hold(local: boolean, held: boolean): void;
  /** `muted` / `unmuted`. */
  muted(muted: boolean): void;
  /** `refer`: the other party asks this phone to call someone (RFC 3515). */
  refer(event: any): void;
  /** `replaces`: an INVITE with Replaces for this call (RFC 3891). */
  replaces(event: any): void;
  /** `newDTMF` from the other party (SIP INFO). */
  dtmf(digit: string): void;
  /** `ended`: the call was established and is over. */
  ended(by: 'local' | 'remote' | 'system', cause: string): void;
  /** `failed`: the call (or a re-INVITE that JsSIP treats as fatal) failed; `message` is the response. */
  failed(by: 'local' | 'remote' | 'system', cause: string, status: number | undefined, message: any): void;
}

/**
 * The listeners a call puts on its JsSIP session. Each offer or answer gets a bounded ICE gathering
 * policy (see ice-gathering): JsSIP sends the SDP when the policy calls `ready`, not when gathering ends.
 */
export function sessionHandlers(sink: SessionEventSink): Record<string, (e: any) => void> {
  let gathering: IceGatheringPolicy | null = null;
  let gatherStart = 0;
  const policy = () => {
    if (!gathering) {
      gatherStart = Date.now();
      gathering = new IceGatheringPolicy(iceServerKinds(sink.iceServers() as any), sink.iceGathering, undefined, (reason, candidates) =>
        sink.iceReady(reason, candidates, Date.now() - gatherStart),
      );
    }
    return gathering;
  };
  return {
    peerconnection: (e: any) =>
      sink.peerConnection(e.peerconnection, () => {
        gathering = null;
        policy().start();
      }),
    icecandidate: (e: any) => policy().candidate(e.candidate, e.ready),
    sdp: () => {
      gathering = null;
    },
    progress: (e: any) => sink.progress(!!e?.response?.body),
    accepted: () => sink.active(),
    confirmed: () => sink.active(),
    hold: (e: any) => sink.hold(e.originator === 'local', true),
    unhold: (e: any) => sink.hold(e.originator === 'local', false),
    muted: () => sink.muted(true),
    unmuted: () => sink.muted(false),
    refer: (e: any) => sink.refer(e),
    replaces: (e: any) => sink.replaces(e),
    newDTMF: (e: any) => {
      if (e.originator === 'remote') sink.dtmf(String(e.dtmf?.tone ?? ''));
    },
    ended: (e: any) => sink.ended(e.originator, String(e.cause ?? 'Terminated')),
    failed: (e: any) => sink.failed(e.originator, String(e.cause ?? 'Failed'), e?.message?.status_code as number | undefined, e?.message),
  };
}

/** Puts the listeners on an existing session (an incoming call, or one JsSIP created for a transfer). */
export function bindSession(session: Session, handlers: Record<string, (e: any) => void>): void {
  for (const [name, fn] of Object.entries(handlers)) session.on(name, fn);
  // an outgoing session handed over after creation already has its peer connection
  if (session.connection) handlers.peerconnection({ peerconnection: session.connection });
}
