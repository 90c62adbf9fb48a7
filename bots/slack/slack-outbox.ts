/** Knobs of the outbox. */
export const DEFAULTS = {
  /** Slack allows about one message per second per channel. */
  intervalMs: 1_000,
  /** How many times one call is retried after a 429. */
  maxRetries: 5,
};

export interface SlackOutboxOptions {
  intervalMs?: number;
  maxRetries?: number;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
}

/** The Web API client's rate-limit error (rejectRateLimitedCalls) carries `retryAfter` in seconds. */
function retryAfterMs(err: unknown): number | undefined {
  const e = err as { code?: string; retryAfter?: number } | undefined;
  return e?.code === 'slack_webapi_rate_limited_error' && typeof e.retryAfter === 'number'
    ? e.retryAfter * 1000
    : undefined;
}

/**
 * Outgoing Slack calls, queued per channel: one at a time, at most one per `intervalMs`, and a call
 * refused with 429 waits `retry_after` and is tried again (the whole channel waits with it). Calls
 * in different channels do not wait for each other.
 */
export class SlackOutbox {
  private readonly tails = new Map<string, Promise<unknown>>();
  private readonly last = new Map<string, number>();
  private readonly o: Required<SlackOutboxOptions>;

  constructor(opts: SlackOutboxOptions = {}) {
    this.o = {
      intervalMs: opts.intervalMs ?? DEFAULTS.intervalMs,
      maxRetries: opts.maxRetries ?? DEFAULTS.maxRetries,
      sleep: opts.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms))),
      now: opts.now ?? Date.now,
    };
  }

  /** Runs `call` in the channel's queue; resolves with its result or rejects with its last error. */
  send<T>(channel: string, call: () => Promise<T>): Promise<T> {
    const run = (this.tails.get(channel) ?? Promise.resolve())
      .catch(() => undefined)
      .then(() => this.attempt(channel, call));
    this.tails.set(channel, run);
    // Drop the tail once idle so the map does not grow with every channel ever used.
    void run
      .catch(() => undefined)
      .finally(() => {
        if (this.tails.get(channel) === run) this.tails.delete(channel);
      });
    return run;
  }

  private async attempt<T>(channel: string, call: () => Promise<T>): Promise<T> {
    for (let tries = 0; ; tries++) {
      const wait = (this.last.get(channel) ?? -Infinity) + this.o.intervalMs - this.o.now();
      if (wait > 0) await this.o.sleep(wait);
      this.last.set(channel, this.o.now());
      try {
        return await call();
      } catch (err) {
        const after = retryAfterMs(err);
        if (after === undefined || tries >= this.o.maxRetries) throw err;
        await this.o.sleep(after);
      }
    }
  }
}
