import { TemplatesInForce } from '@levensloop/notifications';
import type { NotificationContent } from '@levensloop/persistence';

/**
 * The templates in force, kept until a registration's notice drops them (`drop`), or after
 * DISPATCHER_TEMPLATE_CACHE_MS in case a notice was lost (5 s at most while nobody listens).
 */
export class TemplatesCache {
  private cache?: { at: number; gen: number; inForce: TemplatesInForce };
  /** Counts the notices: a notice that arrives while a read runs leaves its result stale. */
  private gen = 0;

  constructor(
    private readonly content: NotificationContent,
    private readonly cacheMs: number,
    private readonly listening: () => boolean,
  ) {}

  async inForce(): Promise<TemplatesInForce> {
    const maxAge = this.listening() ? this.cacheMs : Math.min(this.cacheMs, 5000);
    let cache = this.cache;
    if (!cache || cache.gen !== this.gen || Date.now() - cache.at > maxAge) {
      const gen = this.gen;
      const at = Date.now();
      cache = { at, gen, inForce: new TemplatesInForce(await this.content.templatesInForce()) };
      this.cache = cache;
    }
    return cache.inForce;
  }

  drop() {
    this.gen += 1;
    this.cache = undefined;
  }
}
