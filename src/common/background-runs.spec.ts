import { BackgroundRuns } from './background-runs';

describe(BackgroundRuns.name, () => {
  it('should wait for the run in flight when stopped, and refuse runs after', async () => {
    const sut = new BackgroundRuns();
    let finish!: () => void;
    let finished = false;
    const running = sut.run(
      () =>
        new Promise<string>((resolve) => {
          finish = () => {
            finished = true;
            resolve('done');
          };
        }),
    );
    const stopped = sut.stop();
    expect(sut.stopped).toBe(true);
    let stopResolved = false;
    void stopped.then(() => (stopResolved = true));
    await Promise.resolve();
    expect(stopResolved).toBe(false);

    finish();
    await stopped;
    expect(finished).toBe(true);
    await expect(running).resolves.toBe('done');

    let called = false;
    const late = () => {
      called = true;
      return Promise.resolve('late');
    };
    await expect(sut.run(late)).resolves.toBeUndefined();
    expect(called).toBe(false);
  });

  it('should stop even when the run in flight fails', async () => {
    const sut = new BackgroundRuns();
    const failing = sut.run(() => Promise.reject(new Error('database gone')));
    await expect(sut.stop()).resolves.toBeUndefined();
    await expect(failing).rejects.toThrow('database gone');
  });
});
