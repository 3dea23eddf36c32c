import type { Logger } from 'pino';
import type { PoolClient } from 'pg';
import type { DataSource } from 'typeorm';
import { poolOf } from '@levensloop/persistence';

/**
 * A connection of the DataSource's pool kept for LISTEN on the given channels. A lost connection
 * only costs latency (the loop polls meanwhile): it is taken again after two seconds, and
 * `onConnected` runs on every (re)connection (a notice sent while nobody listened went unnoticed).
 */
export class Listener {
  private client?: PoolClient;
  private running = false;
  private retry?: NodeJS.Timeout;
  /** Gives the connection up (once), destroyed. */
  private release?: (destroy: Error | true) => void;

  constructor(
    private readonly ds: DataSource,
    private readonly channels: readonly string[],
    private readonly onNotice: (channel: string) => void,
    private readonly onConnected: () => void,
    private readonly logger: Logger,
  ) {}

  get connected(): boolean {
    return !!this.client;
  }

  async start(): Promise<void> {
    this.running = true;
    await this.connect();
  }

  async stop(): Promise<void> {
    this.running = false;
    clearTimeout(this.retry);
    // Destroyed, not returned to the pool: it still LISTENs.
    this.release?.(true);
  }

  private async connect() {
    let client: PoolClient | undefined;
    let released = false;
    const release = (destroy: Error | true) => {
      if (released || !client) return;
      released = true;
      if (this.client === client) this.client = undefined;
      if (this.release === release) this.release = undefined;
      client.release(destroy);
    };
    try {
      client = await poolOf(this.ds).connect();
      client.on('notification', (msg) => this.onNotice(msg.channel));
      client.on('error', (err) => {
        this.logger.warn({ err: err.message }, 'LISTEN connection lost; polling until it is back');
        release(err);
        this.later();
      });
      this.release = release;
      await client.query(this.channels.map((c) => `LISTEN ${c}`).join('; '));
      if (!this.running) return release(true);
      this.client = client;
      this.onConnected();
    } catch (err) {
      release(true);
      this.logger.warn({ err: (err as Error).message }, 'LISTEN failed; polling');
      this.later();
    }
  }

  private later() {
    if (this.running) this.retry = setTimeout(() => void this.connect(), 2000);
  }
}
