import { reportOutcome } from '@levensloop/notifications';
import type { Deliveries } from '@levensloop/persistence';
import type { JobContext } from './context';

/**
 * The SMS gateway's delivery reports the API stored (and woke us for), applied to their
 * deliveries in the order they came in: the dispatcher is the one writer of the deliveries.
 */
export class SmsReportsJob {
  constructor(
    private readonly ctx: JobContext,
    private readonly deliveries: Deliveries,
  ) {}

  async run(): Promise<number> {
    const applied = await this.deliveries.applySmsReports(this.ctx.n.batchSize, reportOutcome);
    if (applied) this.ctx.logger.debug({ applied }, 'SMS delivery reports applied');
    return applied;
  }
}
