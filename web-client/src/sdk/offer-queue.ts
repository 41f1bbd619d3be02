/**
 * Offer/answer exchanges of one call must not overlap (RFC 3261 section 14.1: a UA must not start a
 * re-INVITE while another is in progress), so hold, resume and ICE restarts queue here and run one after
 * another. A failed operation does not block the ones behind it.
 */
export class OfferQueue {
  private tail: Promise<void> = Promise.resolve();

  /** Runs `operation` once every operation queued before it has settled; resolves with its result. */
  run<T>(operation: () => Promise<T>): Promise<T> {
    const run = this.tail.then(operation, operation);
    this.tail = run.then(
      () => undefined,
      () => undefined,
    );
    return run;
  }
}
