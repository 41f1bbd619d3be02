import type { Call } from './call';
import type { DtmfTransport } from './dtmf';
import type { IceGatheringOptions } from './ice-gathering';
import type { QualitySample, QualityThresholds, QualityWarning } from './quality';

/* eslint-disable @typescript-eslint/no-explicit-any */
/** JsSIP's RTCSession, used through this narrow view. */
export type Session = any;

export type CallState = 'connecting' | 'ringing' | 'answering' | 'active' | 'ended';
export type CallDirection = 'outbound' | 'inbound';

export interface CallEndInfo {
  /** Who ended it: `local` (this phone), `remote` (the other party) or `system` (network, timeouts). */
  by: 'local' | 'remote' | 'system';
  /** JsSIP cause text, e.g. "Terminated", "Busy", "Rejected", "Canceled". */
  cause: string;
  /** SIP status code of the final response when the call failed before being answered. */
  status?: number;
}

export interface CallEvents extends Record<string, unknown> {
  state: { state: CallState; previous: CallState };
  ringing: { early: boolean };
  active: void;
  ended: CallEndInfo;
  hold: { local: boolean; remote: boolean };
  resume: { local: boolean; remote: boolean };
  mute: void;
  unmute: void;
  /** A DTMF digit received from the other party (SIP INFO). */
  dtmf: { digit: string };
  quality: QualitySample;
  warning: { warning: QualityWarning; sample: QualitySample };
  'warning-cleared': { warning: QualityWarning; sample: QualitySample };
  /** Media path being re-established (ICE restart after a network change or reconnect). */
  reconnecting: { reason: string };
  reconnected: void;
  /** The call was re-sent with a larger session interval after a 422 (RFC 4028). */
  retry: { status: number; sessionExpires: number };
  /** Progress of a transfer this call requested (sipfrag status from NOTIFY). */
  'transfer-progress': { status: number; final: boolean };
  'ice-ready': { reason: string; candidates: number; ms: number };
  /** The other party transferred this phone (REFER, RFC 3515): `call` is the new call to `target`. */
  transferred: { target: string; call: Call };
  /** An attended transfer replaces this call (INVITE with Replaces, RFC 3891) by `call`, already being answered. */
  replaced: { call: Call };
  'remote-stream': MediaStream;
}

/** What a Call needs from its Phone. */
export interface CallContext {
  ua: any;
  pcConfig: () => RTCConfiguration;
  mediaConstraints: () => MediaStreamConstraints;
  iceGathering: IceGatheringOptions;
  statsIntervalMs: number;
  qualityThresholds: Partial<QualityThresholds>;
  dtmf: { transport: DtmfTransport; durationMs: number; gapMs: number };
  sessionExpires: number;
  speakerId: () => string | null;
  isConnected: () => boolean;
  extraHeaders: () => string[];
  /** Whether a REFER from the other party is followed (blind or attended transfer of this phone). */
  acceptTransfers: boolean;
  /** Hands a call this phone started on its own (a followed transfer) to the phone. */
  adopt: (call: Call) => void;
  /** Sessions already wrapped by a Call, so the phone does not announce them as new incoming calls. */
  claimed: WeakSet<object>;
}

export interface CallOptions {
  /** Extra SIP headers for the INVITE ("Name: value"). */
  extraHeaders?: string[];
  /** Audio element to play the remote party into (default: an element the SDK creates). */
  audioElement?: HTMLAudioElement;
  /** Use this microphone stream instead of asking getUserMedia. */
  mediaStream?: MediaStream;
}
