import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { EventsService } from './events.service';

/** How often the loop looks, and how old a `received` row must be: younger ones are still being processed inline. */
const INTERVAL_MS = 2_000;
const GRACE_SECONDS = 5;
const MAX_BACKOFF_MS = 60_000;

/**
 * Processes inbox rows left `received` by a crash or an outage. Safe with several gateways: each
 * row is processed under `FOR UPDATE SKIP LOCKED`, and every effect is idempotent.
 */
@Injectable()
export class EventsRecovery implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('EventsRecovery');
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private stopped = false;
  private delay = INTERVAL_MS;

  constructor(private readonly events: EventsService) {}

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
      const { processed, deferred, outage } = await this.events.recoverPending(GRACE_SECONDS);
      if (processed || deferred) this.logger.log(`Inbox recovery: ${processed} source event(s) processed, ${deferred} to try again later`);
      // Back off during an outage (each event also backs off on its own), back to the normal pace once it passes.
      this.delay = outage ? Math.min(this.delay * 2, MAX_BACKOFF_MS) : INTERVAL_MS;
    } catch (err) {
      this.delay = Math.min(this.delay * 2, MAX_BACKOFF_MS);
      this.logger.warn(`Inbox recovery failed, next try in ${this.delay} ms: ${(err as Error).message}`);
    }
  }
}
