import { Inject, Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import type { LevensloopConfig } from '@levensloop/config';
import { journeyWorkflowId, renewPaymentUpdate, settlePaymentUpdate } from '@levensloop/contracts/workflow';
import { paymentRenewalAccess, type StepState } from '@levensloop/domain';
import { appendAudit, Payments } from '@levensloop/persistence';
import { AccessService } from '../access/access.service';
import type { Principal } from '../auth/principal';
import { CONFIG } from '../config.provider';
import { conflict, notFound, ProblemException } from '../common/problem';
import { updateJourney, updateProblem, withTimeout } from '../journeys/workflow-errors';
import { TemporalService } from '../temporal/temporal.provider';
import { checkWebhookSignature, parsePaymentWebhook, type WebhookHeaders } from './payment-webhook';

/** How long a webhook waits for its journey to take the settlement. */
const SETTLE_TIMEOUT_MS = 15_000;

/**
 * The payment provider's webhooks and the citizen's request for a new link. A webhook is checked
 * (signature, timestamp window, body), kept once per event id, and told to its journey as the
 * `settlePayment` update with the event id as the update's id: a webhook delivered twice settles
 * once, also when the first delivery stored the event and then failed to reach the journey.
 */
@Injectable()
export class PaymentsService {
  private readonly logger = new Logger('Payments');
  private readonly payments: Payments;

  constructor(
    private readonly db: DataSource,
    @Inject(CONFIG) private readonly config: LevensloopConfig,
    private readonly access: AccessService,
    private readonly temporal: TemporalService,
  ) {
    this.payments = new Payments(db);
  }

  async webhook(rawBody: Buffer | undefined, headers: WebhookHeaders, body: unknown) {
    const secret = this.config.payments.webhookSecret;
    if (!secret) throw new ProblemException(503, 'Payment webhooks are not accepted here: PAYMENT_WEBHOOK_SECRET is not configured.', { slug: 'webhooks-not-configured' });
    const check = checkWebhookSignature(rawBody, headers, secret);
    if (!check.ok) throw new ProblemException(401, check.detail, { slug: check.slug, title: 'Unauthorized' });
    const parsed = parsePaymentWebhook(body, check.eventId);
    if (!parsed.ok) {
      throw new ProblemException(400, `The webhook has ${parsed.errors.length} problem(s): ${parsed.errors.map((e) => `${e.path}: ${e.message}`).join('; ')}`, { slug: 'invalid-webhook', errors: parsed.errors });
    }
    const event = parsed.value;
    // Unknown: answered 404, which the provider tries again (the worker records a payment a moment after the provider created it).
    const payment = await this.payments.find(event.paymentId);
    if (!payment) throw notFound(`A payment ${event.paymentId} of a journey`);
    const status = event.type.slice('payment.'.length);
    const fresh = await this.payments.receiveEvent({ eventId: event.id, paymentId: event.paymentId, status, occurredAt: event.at, signedAt: check.signedAt });
    const answer = { event: event.id, payment: event.paymentId, journeyId: payment.journeyId, step: payment.nodeKey, status, duplicate: !fresh };
    // A refund is the journey's own doing (its compensation): the webhook confirms it, nothing to tell.
    if (status === 'refunded') return answer;
    try {
      const step = await withTimeout(
        this.temporal.client.workflow.getHandle(journeyWorkflowId(payment.journeyId)).executeUpdate(settlePaymentUpdate, {
          args: [{ nodeKey: payment.nodeKey, paymentId: event.paymentId, status: status as 'paid' | 'failed' | 'expired', eventId: event.id, at: event.at }],
          // The provider's event id: the same webhook again is the same update, applied once.
          updateId: event.id,
        }),
        SETTLE_TIMEOUT_MS,
      );
      return { ...answer, stepStatus: step.status, paymentStatus: step.payment?.status };
    } catch (err) {
      // A journey that ended (cancelled before it was paid): the provider is told it was received; the refund is the agency's to make.
      if (err instanceof WorkflowNotFoundError || /already completed|not found/i.test(String((err as Error)?.message))) {
        this.logger.warn(`payment ${event.paymentId} ${status} for journey ${payment.journeyId}, which is no longer running`);
        return { ...answer, journeyClosed: true };
      }
      if (err instanceof WorkflowUpdateFailedError) throw conflict((err.cause as { message?: string } | undefined)?.message ?? 'The journey refused the settlement.', 'refused-by-journey');
      throw updateProblem(err);
    }
  }

  /** The subject (or whoever acts for them) asks a new link after a failed or expired payment. */
  async renew(p: Principal, journeyId: string, nodeKey: string) {
    const journey = await this.access.visibleJourney(p, journeyId);
    await this.access.resolve(p, paymentRenewalAccess(p, { subjectId: journey.subject_id, lifeEvent: journey.life_event_key }));
    const step = await updateJourney(this.temporal.client, journeyWorkflowId(journeyId), renewPaymentUpdate, { nodeKey, by: p.sub });
    await appendAudit(this.db, {
      actor: p.sub,
      action: 'step.payment_renewal_requested',
      targetType: 'journey_step',
      targetId: `${journeyId}/${nodeKey}`,
      detail: { attempt: step.payment?.attempt ?? null, roles: p.roles },
    });
    return stepView(journeyId, step);
  }
}

function stepView(journeyId: string, s: StepState) {
  return {
    journeyId,
    step: s.key,
    status: s.status,
    ...(s.payment ? { payment: { status: s.payment.status, attempt: s.payment.attempt, renewRequested: !!s.payment.renewRequested } } : {}),
  };
}
