/**
 * The runs of one background job (a scheduled run, the mail worker). Shutdown stops new
 * runs and waits for the one in flight, so that no run meets a database that is closing:
 * Nest calls `beforeApplicationShutdown` on every provider before TypeORM closes the
 * connection in `onApplicationShutdown`.
 */
export class BackgroundRuns {
  private readonly inFlight = new Set<Promise<unknown>>();
  private stopping = false;

  /** True once shutdown has begun: long runs check it between steps. */
  get stopped(): boolean {
    return this.stopping;
  }

  /** Runs `work` unless shutdown has begun (then resolves to undefined). */
  run<T>(work: () => Promise<T>): Promise<T | undefined> {
    if (this.stopping) {
      return Promise.resolve(undefined);
    }
    const running = work();
    this.inFlight.add(running);
    const forget = () => this.inFlight.delete(running);
    running.then(forget, forget);
    return running;
  }

  /** Refuses new runs and waits for those in flight; their failures are theirs to log. */
  async stop(): Promise<void> {
    this.stopping = true;
    await Promise.allSettled([...this.inFlight]);
  }
}
