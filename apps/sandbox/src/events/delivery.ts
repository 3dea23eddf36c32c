import { setTimeout as delay } from 'node:timers/promises';
import { CLOUDEVENTS_CONTENT_TYPE } from './cloud-event';

/** What became of one delivery: the receiver's last status (null when it never answered). */
export interface DeliveryResult {
  status: number | null;
  attempts: number;
  error?: string;
}

export interface EventDeliveryOptions {
  /** Where events go (SANDBOX_EVENTS_URL); without it events are recorded, not delivered. */
  url?: string;
  /** A bearer token for the source that publishes. */
  token: (source: string) => Promise<string>;
  /** Waits between attempts; its length + 1 is the number of attempts. Default 200, 1000, 3000 ms. */
  retryDelaysMs?: number[];
  /** Per attempt; default 5000 ms. */
  timeoutMs?: number;
}

// A refusal (4xx) will not change on a second try; an outage, a timeout or throttling may.
const retryable = (status: number) => status >= 500 || status === 429 || status === 408;

/** Delivers events like a source's outbound notification service: at least once, with backoff. */
export class EventDelivery {
  private readonly aborter = new AbortController();
  private readonly delays: number[];
  private readonly timeoutMs: number;

  constructor(private readonly options: EventDeliveryOptions) {
    this.delays = options.retryDelaysMs ?? [200, 1000, 3000];
    this.timeoutMs = options.timeoutMs ?? 5000;
  }

  get configured(): boolean {
    return !!this.options.url;
  }

  async deliver(event: unknown, source: string): Promise<DeliveryResult> {
    const url = this.options.url;
    if (!url) return { status: null, attempts: 0, error: 'SANDBOX_EVENTS_URL is not set: the event was recorded, not delivered.' };
    const body = JSON.stringify(event);
    let result: DeliveryResult = { status: null, attempts: 0 };
    for (let attempt = 1; ; attempt++) {
      try {
        const res = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': CLOUDEVENTS_CONTENT_TYPE, authorization: `Bearer ${await this.options.token(source)}` },
          body,
          signal: AbortSignal.any([AbortSignal.timeout(this.timeoutMs), this.aborter.signal]),
        });
        const text = await res.text();
        result = res.ok ? { status: res.status, attempts: attempt } : { status: res.status, attempts: attempt, error: text.slice(0, 500) || res.statusText };
        if (res.ok || !retryable(res.status)) return result;
      } catch (err) {
        const e = err as Error & { cause?: { code?: string } };
        result = { status: null, attempts: attempt, error: e.name === 'TimeoutError' ? `no answer within ${this.timeoutMs} ms` : `${e.message}${e.cause?.code ? ` (${e.cause.code})` : ''}` };
      }
      if (attempt > this.delays.length || this.aborter.signal.aborted) return result;
      try {
        await delay(this.delays[attempt - 1], undefined, { signal: this.aborter.signal });
      } catch {
        return result;
      }
    }
  }

  /** Stops pending retries (the sandbox is closing). */
  dispose() {
    this.aborter.abort();
  }
}
