/**
 * Reconnect delays: exponential growth with "equal jitter" (half fixed, half random), so a fleet of
 * clients that lost the same edge does not come back in lock-step, yet no client retries instantly.
 */
export interface BackoffOptions {
  /** First delay ceiling in milliseconds (default 500). */
  initialMs?: number;
  /** Upper bound of any delay in milliseconds (default 30000). */
  maxMs?: number;
  /** Growth factor per attempt (default 2). */
  factor?: number;
}

export class Backoff {
  private readonly initialMs: number;
  private readonly maxMs: number;
  private readonly factor: number;

  constructor(options: BackoffOptions = {}, private readonly random: () => number = Math.random) {
    this.initialMs = options.initialMs ?? 500;
    this.maxMs = options.maxMs ?? 30000;
    this.factor = options.factor ?? 2;
    if (!(this.initialMs > 0) || !(this.maxMs >= this.initialMs) || !(this.factor >= 1)) {
      throw new RangeError('backoff needs initialMs > 0, maxMs >= initialMs and factor >= 1');
    }
  }

  /** Delay before reconnect attempt number `attempt` (1 = first attempt after a loss). */
  delayMs(attempt: number): number {
    const n = Math.max(1, Math.floor(attempt));
    const ceiling = Math.min(this.maxMs, this.initialMs * Math.pow(this.factor, n - 1));
    const half = ceiling / 2;
    return Math.round(half + this.random() * half);
  }
}
