/**
 * The runs of one background job (a scheduled run, the mail worker). Shutdown stops new
 * runs and waits for the one in flight, so that no run meets a database that is closing:
 * Nest calls `beforeApplicationShutdown` on every provider before TypeORM closes the
 * connection in `onApplicationShutdown`.
 */
export class BackgroundRuns {
  private readonly inFlight = new Set<Promise<unknown>>();
  private stopped = false;

  /** Runs `work` unless shutdown has begun (then resolves to undefined). */
  run<T>(work: () => Promise<T>): Promise<T | undefined> {
    if (this.stopped) {
      return Promise.resolve(undefined);
    }
    const running = work();
    this.inFlight.add(running);
    const forget = () => this.inFlight.delete(running);
    running.then(forget, forget);
    return running;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await Promise.allSettled([...this.inFlight]);
  }
}
