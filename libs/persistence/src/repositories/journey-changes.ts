import { Client } from 'pg';
import type { DataSource } from 'typeorm';

/** The channel the journey projection notifies with the journey's id when it writes a change (see journey-projection.sql.ts). */
const CHANNEL = 'levensloop_outbox';

/**
 * Tells waiters when a journey's projection has written something, from PostgreSQL's
 * notifications on one connection of its own (LISTEN), so that many requests waiting for their
 * journey's row cost no polling. A waiter also wakes after its own pause, should a notice be lost.
 */
export class JourneyChanges {
  private client?: Client;
  private connecting?: Promise<void>;
  private closed = false;
  private readonly waiters = new Map<string, Set<() => void>>();

  constructor(private readonly db: DataSource) {}

  /** Registers a waiter now (before the caller reads the row, so no change is missed); `next` resolves on a change or after `pauseMs`. */
  watch(journeyId: string, pauseMs: number): { next: Promise<void>; cancel: () => void } {
    this.listen();
    let wake = () => {};
    const next = new Promise<void>((resolve) => {
      const timer = setTimeout(() => wake(), pauseMs);
      wake = () => {
        clearTimeout(timer);
        const set = this.waiters.get(journeyId);
        set?.delete(wake);
        if (set && !set.size) this.waiters.delete(journeyId);
        resolve();
      };
    });
    const set = this.waiters.get(journeyId) ?? new Set();
    set.add(wake);
    this.waiters.set(journeyId, set);
    return { next, cancel: () => wake() };
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.connecting?.catch(() => undefined);
    await this.client?.end().catch(() => undefined);
  }

  /** Connects once (again after an error); until then, waiters wake after their pause. */
  private listen() {
    if (this.connecting || this.closed) return;
    const url = (this.db.options as { url?: string }).url;
    if (!url) return;
    const client = new Client({ connectionString: url });
    this.connecting = (async () => {
      client.on('notification', (n) => {
        for (const wake of [...(this.waiters.get(n.payload ?? '') ?? [])]) wake();
      });
      client.on('error', () => {
        this.client = undefined;
        this.connecting = undefined;
        client.end().catch(() => undefined);
      });
      await client.connect();
      await client.query(`LISTEN ${CHANNEL}`);
      this.client = client;
      if (this.closed) await client.end();
    })().catch(() => {
      this.connecting = undefined;
    });
  }
}

/**
 * Reads a journey's row (or one of its rows) until `until` holds or `timeoutMs` passes; undefined
 * then. With `changes`, it reads again on the projection's notice for the journey (a pause is only
 * the fallback for a lost one); without, it polls briefly.
 */
export async function waitForProjected<T>(
  changes: JourneyChanges | undefined,
  journeyId: string,
  read: () => Promise<T | undefined>,
  until: (row: T) => boolean,
  timeoutMs: number,
): Promise<T | undefined> {
  const deadline = Date.now() + timeoutMs;
  for (let pause = changes ? 250 : 4; ; pause = Math.min(pause * 2, changes ? 1000 : 50)) {
    const change = changes?.watch(journeyId, Math.min(pause, Math.max(0, deadline - Date.now())));
    const row = await read();
    if ((row && until(row)) || Date.now() >= deadline) {
      change?.cancel();
      return row && until(row) ? row : undefined;
    }
    await (change?.next ?? new Promise((resolve) => setTimeout(resolve, pause)));
  }
}
