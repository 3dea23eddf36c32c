import { durationToMs } from '@levensloop/domain';
import type { Deliveries } from '@levensloop/persistence';
import type { JobContext } from './context';

/**
 * The subject did not read a request within LETTER_AFTER and it is still open: it goes out on
 * paper too (the request itself, not each reminder of it). A mandate holder reading their copy
 * does not stop the subject's letter; it only spares the holder a paper copy of their own. What
 * no workflow knows (who read what), so it stays a sweep.
 */
export class UnreadLettersJob {
  constructor(
    private readonly ctx: JobContext,
    private readonly deliveries: Deliveries,
  ) {}

  /** How many letters were queued. */
  run(): Promise<number> {
    return this.deliveries.insertUnreadLetters(durationToMs(this.ctx.n.letterAfter) / 1000);
  }
}
