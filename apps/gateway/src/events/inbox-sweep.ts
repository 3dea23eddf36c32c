import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { SourceEventStarter } from './source-event-starter';

/** How often the sweep looks, and how old a `received` row must be: younger ones are still being started inline. */
const INTERVAL_MS = 2_000;
const GRACE_SECONDS = 10;
const MAX_BACKOFF_MS = 60_000;

/**
 * Starts the workflow of inbox rows left `received` (see SourceEventStarter.sweep). Safe with
 * several gateways: a start lands on the event's one workflow, whoever makes it.
 */
@Injectable()
export class InboxSweep implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('InboxSweep');
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private stopped = false;
  private delay = INTERVAL_MS;

  constructor(private readonly starter: SourceEventStarter) {}

  onApplicationBootstrap() {
    this.schedule();
  }

  async onApplicationShutdown() {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  private schedule() {
    if (this.stopped) return;
    // Jitter keeps several gateways from looking at the same moment.
    this.timer = setTimeout(() => {
      this.running = this.round().finally(() => this.schedule());
    }, this.delay + Math.floor(Math.random() * 500));
    this.timer.unref();
  }

  private async round() {
    try {
      const { started, recorded } = await this.starter.sweep(GRACE_SECONDS);
      if (started || recorded) this.logger.log(`Inbox sweep: ${started} source event workflow(s) started or still running, ${recorded} outcome(s) recorded`);
      this.delay = INTERVAL_MS;
    } catch (err) {
      // The engine or the database is down: back off, back to the normal pace once it passes.
      this.delay = Math.min(this.delay * 2, MAX_BACKOFF_MS);
      this.logger.warn(`Inbox sweep failed, next try in ${this.delay} ms: ${(err as Error).message}`);
    }
  }
}
