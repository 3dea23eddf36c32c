import { createHmac } from 'node:crypto';

/**
 * The headers that authenticate a callback the sandbox sends (an SMS or mail delivery report, a
 * payment webhook): its id under `idHeader` (the same on every attempt, so the receiver can tell a
 * replay), the time of sending in Unix seconds (`X-Timestamp`, new on every attempt), and
 * `X-Signature: sha256=<hex HMAC-SHA256 of "<timestamp>.<id>.<raw body>">`.
 */
export function signCallback<H extends string>(idHeader: H, rawBody: string, secret: string, id: string, nowMs = Date.now()): Record<H | 'x-timestamp' | 'x-signature', string> {
  const timestamp = String(Math.floor(nowMs / 1000));
  const signature = createHmac('sha256', secret).update(`${timestamp}.${id}.`).update(rawBody).digest('hex');
  return { [idHeader]: id, 'x-timestamp': timestamp, 'x-signature': `sha256=${signature}` } as Record<H | 'x-timestamp' | 'x-signature', string>;
}

/** The timers of callbacks still to (re)send, all cleared when their sender stops. */
export class CallbackTimers {
  private readonly timers = new Set<NodeJS.Timeout>();

  later(ms: number, run: () => void): void {
    const t = setTimeout(() => {
      this.timers.delete(t);
      run();
    }, ms);
    this.timers.add(t);
  }

  clear(): void {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }
}
