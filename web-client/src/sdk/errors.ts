/** Error codes a caller can branch on. */
export type WebcallErrorCode =
  | 'invalid-option'
  | 'invalid-state'
  | 'registration-failed'
  | 'connection-failed'
  | 'timeout'
  | 'call-failed'
  | 'request-failed'
  | 'media-error';

/** Every SDK promise rejects with this type. */
export class WebcallError extends Error {
  constructor(
    readonly code: WebcallErrorCode,
    message: string,
    /** SIP status code of the response that caused it, when there is one. */
    readonly status?: number,
  ) {
    super(message);
    this.name = 'WebcallError';
  }
}
