import { asLanguage, messageLink, renderMessage, storedMessage, toDeliveryContext, type DeliveryContextRow } from '@levensloop/notifications';
import type { Claim, ClaimedDelivery, Deliveries, DeliveryOutcome, RenderedDelivery } from '@levensloop/persistence';
import { inStoredTrace } from '@levensloop/telemetry';
import type { Channel, SendResult } from '../channels/channel';
import type { TemplatesCache } from '../templates-cache';
import { runLimited, type JobContext } from './context';

/**
 * Claims due deliveries per channel (as many as the channel's rate allows), renders what was
 * never rendered, sends, and records the outcome. A claim is committed as `sending` (attempts + 1)
 * before anything is sent, so a crash re-sends the same text under the same key after the lease.
 */
export class DeliveryJob {
  constructor(
    private readonly ctx: JobContext,
    private readonly deliveries: Deliveries,
    private readonly channels: ReadonlyMap<string, Channel>,
    private readonly templates: TemplatesCache,
    /** Told of a send that failed for good (its fallback is decided in the same pass). */
    private readonly onFailedForGood: () => void = () => undefined,
  ) {}

  /** Claimed and not recorded yet (id, attempts): what a stopping dispatcher gives back. */
  private readonly held = new Map<string, number>();

  /** True when a channel had more due than it took (another pass at once). */
  async run(channelKeys: readonly string[]): Promise<boolean> {
    let more = false;
    await Promise.all(
      channelKeys.map(async (key) => {
        const channel = this.channels.get(key);
        if (!channel) return;
        // Over the channel's rate: come back when a token is there, not in a tight loop.
        const tokens = this.ctx.rates.take(key, this.ctx.n.batchSize);
        if (!tokens) return;
        const claimed = await this.deliveries.claim(key, tokens, this.ctx.n.leaseMs / 1000, (toRender) => this.render(toRender));
        this.ctx.rates.giveBack(key, tokens - claimed.length);
        for (const c of claimed) this.held.set(c.delivery.id, c.delivery.attempts);
        // The rate all dispatchers share: what it does not grant now goes back at once, for whichever dispatcher comes first.
        const granted = await this.ctx.grant(key, claimed.length);
        if (granted < claimed.length) {
          this.ctx.rates.giveBack(key, claimed.length - granted);
          await this.giveBack(claimed.slice(granted).map((c) => c.delivery));
        }
        if (granted === tokens) more = true;
        const go = claimed.slice(0, granted);
        if (go.length) await runLimited(go, channel.concurrency, (c) => this.deliverOne(channel, c));
      }),
    );
    return more;
  }

  /** Gives back every delivery this dispatcher holds and has not recorded (it is stopping); how many went back. */
  releaseHeld(): Promise<number> {
    const held = [...this.held].map(([id, attempts]) => ({ id, attempts }));
    this.held.clear();
    return this.deliveries.release(held);
  }

  private async giveBack(deliveries: ReadonlyArray<{ id: string; attempts: number }>): Promise<void> {
    for (const d of deliveries) this.held.delete(d.id);
    await this.deliveries.release(deliveries);
  }

  /** The message of each delivery, with the templates in force (the agency's, else the global one, else the default). */
  private async render(toRender: Array<{ delivery: ClaimedDelivery; context: DeliveryContextRow }>): Promise<RenderedDelivery[]> {
    const templates = await this.templates.inForce();
    return toRender.map(({ delivery, context }) => {
      const lang = asLanguage(delivery.language);
      const ctx = toDeliveryContext(context);
      const template = templates.for(ctx.category, lang, ctx.agency);
      const message = renderMessage(template, ctx, lang, messageLink(this.ctx.n.citizenWebUrl, context.category, context.journey_id));
      return { id: delivery.id, ...message, templateVersion: template?.version ?? null };
    });
  }

  private async deliverOne(channel: Channel, claim: Claim) {
    // Stopping: what has not started goes back (releaseHeld), for another dispatcher at once.
    // Without its context the delivery waits for its lease (held: a stopping dispatcher gives it back).
    if (this.ctx.stopping || !claim.context) return;
    await this.sendOne(channel, claim.delivery, claim.context);
    this.held.delete(claim.delivery.id);
  }

  private async sendOne(channel: Channel, delivery: ClaimedDelivery, context: DeliveryContextRow) {
    if (context.expired) {
      // A request that is no longer open (or a message past its expiry) is not sent at all.
      await this.record(delivery, { kind: 'expired' }, context);
      return;
    }
    const message = storedMessage(delivery);
    // Rendered by the claim; without it (cannot happen) the lease brings the delivery back.
    if (!message) return;
    let result: SendResult;
    // The send continues the trace that wrote the message (the projection stored its traceparent).
    const attributes = { 'levensloop.journey.id': context.journey_id, 'levensloop.delivery.id': delivery.id, 'levensloop.channel': channel.key, 'levensloop.notification.category': context.category };
    try {
      result = await inStoredTrace(`notification.send ${channel.key}`, context.trace_context, attributes, async (span) => {
        const sent = await channel.send({ delivery, context, message, language: asLanguage(delivery.language), link: messageLink(this.ctx.n.citizenWebUrl, context.category, context.journey_id) });
        span.setAttribute('levensloop.delivery.result', sent.kind);
        return sent;
      });
    } catch (err) {
      result = { kind: 'temporary', error: (err as Error).message };
    }
    if (result.kind === 'recorded') {
      this.ctx.observe(channel.key, 'delivered', context.created_at);
      return;
    }
    const exit = this.ctx.exitAfterSend;
    if (exit && (exit === channel.key || exit === 'any') && result.kind !== 'temporary' && result.kind !== 'permanent') {
      // Test hook: the worst moment to crash — sent, not recorded. The lease brings it back.
      this.ctx.exitAfter(`sending ${channel.key} ${delivery.id}`);
    }
    await this.record(delivery, result, context);
  }

  private async record(d: ClaimedDelivery, result: Exclude<SendResult, { kind: 'recorded' }> | { kind: 'expired' }, context: DeliveryContextRow) {
    let outcome: DeliveryOutcome;
    if (result.kind === 'temporary' || result.kind === 'permanent') {
      const last = result.kind === 'permanent' || d.attempts >= this.ctx.n.maxAttempts;
      outcome = { kind: 'failed', status: last ? 'permanent_failure' : 'temporary_failure', error: result.error, retryInSeconds: this.ctx.backoffMs(d.attempts) / 1000 };
      const log = { delivery: d.id, channel: d.channel, attempts: d.attempts, err: result.error };
      if (!last) this.ctx.logger.info(log, 'send failed; trying again later');
      else {
        this.ctx.logger.warn(log, 'send failed for good');
        this.onFailedForGood();
      }
    } else {
      outcome = result;
    }
    await this.deliveries.record(d.id, d.attempts, outcome);
    // Accepted stays `sending` with sent_at set: the SMS gateway's report settles it.
    const status = outcome.kind === 'failed' ? outcome.status : outcome.kind === 'accepted' ? 'sending' : outcome.kind;
    this.ctx.observe(d.channel, status, status === 'delivered' ? context.created_at : undefined);
  }
}
