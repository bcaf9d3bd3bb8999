// The actions an engine has running, which shutdown waits for up to its deadline. A task's
// failure is reported where it happens; here only its end counts.
export class TaskSet {
  private readonly tasks = new Set<Promise<void>>();

  get size(): number {
    return this.tasks.size;
  }

  add(task: Promise<unknown>): void {
    const t = task.then(
      () => {},
      () => {},
    );
    this.tasks.add(t);
    void t.finally(() => this.tasks.delete(t));
  }

  /** Resolves once every task added so far has ended. */
  async settled(): Promise<void> {
    await Promise.allSettled([...this.tasks]);
  }

  /** Waits for every task up to `deadlineMs`; whether they had all ended by then. */
  async settledWithin(deadlineMs: number): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const expired = new Promise<false>((resolve) => {
      timer = setTimeout(() => resolve(false), deadlineMs);
    });
    const outcome = await Promise.race([this.settled().then(() => true as const), expired]);
    clearTimeout(timer);
    return outcome;
  }
}
