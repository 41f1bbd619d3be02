/**
 * Watches a call's ICE connection (RFC 8445 / W3C RTCIceConnectionState) and asks for an ICE restart
 * when the media path is lost: at once on `failed`, which never heals by itself, and after a grace
 * period on `disconnected`, which often does within a couple of seconds.
 */
export class IceWatchdog {
  private timer: ReturnType<typeof setTimeout> | null = null;

  /**
   * `restart(reason)` is called when a restart is due; `enabled()` says whether the call wants one now
   * (active and not already restarting).
   */
  constructor(
    private readonly restart: (reason: string) => void,
    private readonly enabled: () => boolean,
    private readonly graceMs = 2500,
  ) {}

  /** Follows the ICE connection state of `pc`. */
  watch(pc: RTCPeerConnection): void {
    pc.addEventListener('iceconnectionstatechange', () => this.onState(pc.iceConnectionState));
  }

  /** One ICE connection state change (exposed for tests). */
  onState(state: RTCIceConnectionState): void {
    this.cancel();
    if (!this.enabled()) return;
    if (state === 'failed') this.restart('ICE failed');
    else if (state === 'disconnected') this.timer = setTimeout(() => this.restart('ICE disconnected'), this.graceMs);
  }

  /** Drops a pending restart (the state changed, or the call ended). */
  cancel(): void {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
  }
}

/** Resolves once `pc` is connected again (ICE `connected` or `completed`); at once without a connection. */
export function iceConnected(pc: RTCPeerConnection | null): Promise<void> {
  const ok = () => !pc || pc.iceConnectionState === 'connected' || pc.iceConnectionState === 'completed';
  if (ok()) return Promise.resolve();
  return new Promise((resolve) => {
    const check = () => {
      if (ok()) {
        pc!.removeEventListener('iceconnectionstatechange', check);
        resolve();
      }
    };
    pc!.addEventListener('iceconnectionstatechange', check);
  });
}

/**
 * Resolves once `pc` carries media (connectionState `connected`: ICE and DTLS up), or after `timeoutMs`
 * whatever the state; at once without a connection. RTP sent before that is lost, e.g. DTMF tones
 * played right after the answer while DTLS is still being negotiated.
 */
export function mediaConnected(pc: RTCPeerConnection | null, timeoutMs: number): Promise<void> {
  if (!pc || pc.connectionState === 'connected') return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      pc.removeEventListener('connectionstatechange', check);
      resolve();
    };
    const check = () => {
      if (pc.connectionState === 'connected') done();
    };
    const timer = setTimeout(done, timeoutMs);
    pc.addEventListener('connectionstatechange', check);
  });
}
