import { channelSpec, effectiveContact, emailReportOutcome, FALLBACK_FROM, fallbackChannel } from '@levensloop/notifications';
import type { DeliveryFallbacks, EmailReports, FailedDelivery, FallbackDecision } from '@levensloop/persistence';
import type { JobContext } from './context';

/** The next channel of a delivery that failed for good, with its address there (pure: the rule is libs/notifications'). */
export function decideFallback(f: FailedDelivery): FallbackDecision {
  // A supervisor is reached by e-mail only (their console shows the escalation too): no letter to a civil servant.
  if (f.relation === 'supervisor') return { channel: null, address: null };
  const own = f.own;
  const contact = effectiveContact({
    language: own?.language,
    channels: own?.channels,
    email: own?.email,
    phone: own?.phone,
    postalAddress: own?.postal_address,
    prefilled: f.prefilled,
  });
  const channel = fallbackChannel(f.channel, contact, f.others);
  if (!channel) return { channel: null, address: null };
  return { channel, address: channelSpec(channel)!.address(contact, f.recipient_id) };
}

/**
 * A message that could not be delivered reaches the person anyway: an e-mail that bounced or an
 * SMS to a number out of service goes out once on the next channel that reaches them, paper last
 * (decided in the transaction that queues it; see DeliveryFallbacks). Also applies the mail side's
 * reports (bounces), which is how a delivered e-mail turns out to have failed.
 */
export class FallbackJob {
  /** A send failed for good in this process since the last pass: look at once, not at the next wake-up. */
  failedForGood = false;

  constructor(
    private readonly ctx: JobContext,
    private readonly fallbacks: DeliveryFallbacks,
    private readonly emailReports: EmailReports,
  ) {}

  /** Mail reports applied (they may turn deliveries into failures). */
  async applyEmailReports(): Promise<number> {
    const applied = await this.emailReports.apply(this.ctx.n.batchSize, emailReportOutcome);
    if (applied) this.ctx.logger.debug({ applied }, 'e-mail delivery reports applied');
    return applied;
  }

  /** How many deliveries were queued on a next channel. */
  async run(): Promise<number> {
    this.failedForGood = false;
    const queued = await this.fallbacks.forward(this.ctx.n.batchSize, FALLBACK_FROM, decideFallback);
    if (queued) this.ctx.logger.info({ queued }, 'undeliverable messages forwarded to the next channel');
    return queued;
  }
}
