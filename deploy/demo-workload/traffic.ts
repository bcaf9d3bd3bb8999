// Steady simulated traffic. Failures and slow requests come from accumulators rather than coin
// flips, so a share of 0.02% is one failure every 5000 requests, never a lucky burst in the first
// second that would page on a fresh stack; an injected share of 1 fails every request.
import type { SimulatedService } from './services.js';

export interface Shares {
  errorRate: number;
  slowRate: number;
}

/** Turns a share into events: `next()` is true on average `share` of the time, evenly spaced. */
class Accumulator {
  private acc = 0;
  next(share: number): boolean {
    this.acc += share;
    if (this.acc >= 1) {
      this.acc -= 1;
      return true;
    }
    return false;
  }
}

interface Lane {
  service: SimulatedService;
  chaos: Partial<Shares>;
  requests: Accumulator;
  failures: Accumulator;
  slow: Accumulator;
}

export class Traffic {
  private readonly lanes = new Map<string, Lane>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    services: SimulatedService[],
    private readonly perSecond: number,
    private readonly random: () => number = Math.random,
  ) {
    for (const service of services) {
      this.lanes.set(service.job, {
        service,
        chaos: {},
        requests: new Accumulator(),
        failures: new Accumulator(),
        slow: new Accumulator(),
      });
    }
  }

  jobs(): string[] {
    return [...this.lanes.keys()];
  }

  service(job: string): SimulatedService | undefined {
    return this.lanes.get(job)?.service;
  }

  /** The shares in force: the injected ones where set, else the healthy baseline. */
  shares(job: string): Shares {
    const lane = this.lane(job);
    return { ...lane.service.baseline, ...lane.chaos };
  }

  inject(job: string, chaos: Partial<Shares>): Shares {
    this.lane(job).chaos = { ...chaos };
    return this.shares(job);
  }

  heal(job: string): void {
    this.lane(job).chaos = {};
  }

  /** Simulates `seconds` of traffic on every service. */
  advance(seconds: number): void {
    for (const lane of this.lanes.values()) {
      const { errorRate, slowRate } = this.shares(lane.service.job);
      // Requests per step come from an accumulator too, so low rates still flow evenly.
      let n = Math.floor(this.perSecond * seconds);
      if (lane.requests.next(this.perSecond * seconds - n)) n += 1;
      for (let i = 0; i < n; i++) {
        lane.service.record({ failed: lane.failures.next(errorRate), slow: lane.slow.next(slowRate) }, this.random);
      }
    }
  }

  start(stepMs = 100): void {
    this.stop();
    this.timer = setInterval(() => this.advance(stepMs / 1000), stepMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  private lane(job: string): Lane {
    const lane = this.lanes.get(job);
    if (!lane) throw new Error(`unknown service ${JSON.stringify(job)}`);
    return lane;
  }
}
