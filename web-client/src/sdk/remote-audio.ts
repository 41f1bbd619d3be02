/** The audio element a call plays the remote party into, with `setSinkId` where the browser has it. */
type SinkAudioElement = HTMLAudioElement & { setSinkId?: (id: string) => Promise<void> };

/**
 * Plays a call's remote stream: in the element given in the call options, else in one created here
 * (autoplay, not attached to the document), on the chosen speaker.
 */
export class RemoteAudio {
  constructor(
    private audio: HTMLAudioElement | null,
    private readonly speakerId: () => string | null,
  ) {}

  /** The element in use (null until the remote stream arrives, unless one was given). */
  get element(): HTMLAudioElement | null {
    return this.audio;
  }

  /** Starts playing `stream` on the current speaker. */
  play(stream: MediaStream): void {
    if (typeof document === 'undefined') return;
    if (!this.audio) {
      this.audio = document.createElement('audio');
      this.audio.autoplay = true;
    }
    this.audio.srcObject = stream;
    const speaker = this.speakerId();
    if (speaker) void this.setSpeaker(speaker).catch(() => {});
    void this.audio.play?.().catch(() => {});
  }

  /** Routes the remote audio to the given speaker (no-op where setSinkId is missing). */
  async setSpeaker(deviceId: string): Promise<void> {
    const el = this.audio as SinkAudioElement | null;
    if (el?.setSinkId) await el.setSinkId(deviceId);
  }

  /** Detaches the stream (the call ended). */
  stop(): void {
    if (this.audio) this.audio.srcObject = null;
  }
}
