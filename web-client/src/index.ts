/**
 * Webcall browser SDK: a registered SIP phone over WebSocket with WebRTC audio, behind a typed,
 * promise-based API.
 */
export { Phone } from './sdk/phone';
export type { ConnectOptions, PhoneEvents, PhoneState, AudioDevice, PreflightResult } from './sdk/phone';
export { Call } from './sdk/call';
export type { CallState, CallDirection, CallEvents, CallEndInfo, CallOptions } from './sdk/call-types';
export { WebcallError } from './sdk/errors';
export type { WebcallErrorCode } from './sdk/errors';
export type { QualitySample, QualityWarning, QualityThresholds } from './sdk/quality';
export { estimateMos } from './sdk/quality';
export type { IceGatheringOptions } from './sdk/ice-gathering';
export type { BackoffOptions } from './sdk/backoff';
export type { DtmfTransport } from './sdk/dtmf';
export type { TokenClaims } from './sdk/token';
export { decodeToken } from './sdk/token';
export const version = '0.1.0';
