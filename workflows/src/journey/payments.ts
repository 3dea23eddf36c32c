/**
 * Payment steps (a permit fee): an activity creates the payment at the provider (idempotency key
 * from journey, step and attempt, so a worker killed and restarted gets the same payment back), the
 * step waits for the provider's settlement (the gateway's `settlePayment` update, one per provider
 * event), reminds the citizen once before the link expires, and after a failure or expiry waits for
 * the citizen to ask a new link (`renewPayment`). A completed payment step is undone by a refund
 * (./compensation.ts). Only journeys with a payment step run this code (no command otherwise).
 */
import { condition, proxyActivities, setHandler } from '@temporalio/workflow';
import { amountToCents, centsToAmount, PAYMENT_CURRENCY, paymentReminderAt, renewPaymentError, settlementApplies, settlePaymentError, type StepState } from '@levensloop/domain';
import { renewPaymentUpdate, settlePaymentUpdate, type PaymentActivities } from '@levensloop/contracts/workflow';
import type { JourneyRun } from './journey-run';

/** The provider is an outside service: retried for a few minutes, then the step needs attention (a caseworker retries or skips). */
export const paymentProvider = proxyActivities<PaymentActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { maximumAttempts: 8, initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '30 seconds' },
});

const refuse = (error: string | undefined) => {
  if (error) throw new Error(error);
};

/** The provider's settlement and the citizen's request for a new link (registered with the journey's other handlers). */
export function registerPaymentHandlers(run: JourneyRun): void {
  const { state } = run;
  setHandler(
    settlePaymentUpdate,
    (settlement) => {
      const step = state.steps[settlement.nodeKey];
      // An older payment, or one settled already (a webhook delivered twice): nothing changes.
      if (!settlementApplies(step, settlement)) return step;
      step.payment!.status = settlement.status;
      if (settlement.status === 'paid') step.payment!.paidAt = settlement.at;
      run.markDirty(step.key);
      return step;
    },
    { validator: (settlement) => refuse(settlePaymentError(state.steps[settlement.nodeKey], settlement)) },
  );
  setHandler(
    renewPaymentUpdate,
    (request) => {
      const step = state.steps[request.nodeKey];
      step.payment!.renewRequested = true;
      run.record('step.payment_renewal_requested', step.key, { by: request.by });
      return step;
    },
    { validator: (request) => refuse(renewPaymentError(state.steps[request.nodeKey], request.nodeKey)) },
  );
}

/**
 * The step's work: create a payment (again after a failure or expiry, when the citizen asks) and
 * wait until one is paid. Driven by the step's state, so a continued-as-new journey resumes it.
 */
export async function collectPayment(run: JourneyRun, step: StepState): Promise<void> {
  const spec = run.definition(step.key).payment!;
  const amountCents = amountToCents(spec.amount)!;
  for (;;) {
    const payment = (step.payment ??= { status: 'creating', attempt: 1, amountCents });
    if (payment.status === 'creating') {
      const created = await paymentProvider.createPayment({
        journeyId: run.journeyId,
        nodeKey: step.key,
        agency: step.agency,
        // The same key for every retry and worker: the provider creates one payment per attempt.
        idempotencyKey: `${run.journeyId}/${step.key}/payment-${payment.attempt}`,
        attempt: payment.attempt,
        amountCents,
        purpose: spec.purpose,
        linkValidFor: spec.linkValidFor,
      });
      Object.assign(payment, { status: 'open', id: created.paymentId, checkoutUrl: created.checkoutUrl, expiresAt: created.expiresAt });
      step.status = 'waiting';
      step.waitingFor = 'payment';
      run.record('step.payment_requested', step.key, {
        paymentId: created.paymentId,
        amount: centsToAmount(amountCents),
        currency: PAYMENT_CURRENCY,
        purpose: spec.purpose,
        checkoutUrl: created.checkoutUrl,
        expiresAt: created.expiresAt,
        attempt: payment.attempt,
      });
    }
    if (payment.status === 'open') await awaitSettlement(run, step, spec.reminderBefore);
    if (payment.status === 'paid') {
      delete step.waitingFor;
      step.status = 'completed';
      step.completedAt = run.now();
      step.outcome = { result: 'done', data: { paymentId: payment.id, amount: centsToAmount(amountCents), currency: PAYMENT_CURRENCY } };
      run.record('step.payment_received', step.key, { paymentId: payment.id, amount: centsToAmount(amountCents), currency: PAYMENT_CURRENCY, attempt: payment.attempt });
      run.record('step.completed', step.key, { paymentId: payment.id });
      return;
    }
    // Failed or expired: told once, then the citizen may ask a new link.
    if (!payment.renewRequested) {
      run.record(payment.status === 'failed' ? 'step.payment_failed' : 'step.payment_expired', step.key, {
        paymentId: payment.id,
        amount: centsToAmount(amountCents),
        currency: PAYMENT_CURRENCY,
        attempt: payment.attempt,
      });
      await condition(() => !!step.payment?.renewRequested);
    }
    step.payment = { status: 'creating', attempt: payment.attempt + 1, amountCents };
    run.markDirty(step.key);
  }
}

/** Waits for the settlement of the open link, reminding the citizen once `reminderBefore` its expiry. */
async function awaitSettlement(run: JourneyRun, step: StepState, reminderBefore: string): Promise<void> {
  const payment = step.payment!;
  const settled = () => step.payment !== payment || payment.status !== 'open';
  const remindAt = payment.reminded || !payment.expiresAt ? undefined : paymentReminderAt(run.now(), payment.expiresAt, reminderBefore);
  if (remindAt && !(await condition(settled, Math.max(1, Date.parse(remindAt) - Date.now())))) {
    payment.reminded = true;
    run.record('step.payment_reminder', step.key, {
      paymentId: payment.id,
      amount: centsToAmount(payment.amountCents),
      currency: PAYMENT_CURRENCY,
      checkoutUrl: payment.checkoutUrl,
      expiresAt: payment.expiresAt,
    });
  }
  await condition(settled);
}

/** The refund of a paid payment step (its compensation by default): one per journey and step, whatever retries and workers do. */
export async function refundCall(run: JourneyRun, step: StepState): Promise<{ status: number }> {
  const payment = step.payment!;
  if (payment.status === 'open') {
    // Cancelled while the link was open: the link is withdrawn, unless the citizen paid first (then refunded below).
    const withdrawn = await paymentProvider.cancelPayment({ journeyId: run.journeyId, nodeKey: step.key, paymentId: payment.id!, idempotencyKey: `${run.journeyId}/${step.key}/cancel-${payment.attempt}` });
    if (withdrawn.status !== 'paid') {
      payment.status = 'cancelled';
      run.record('step.payment_cancelled', step.key, { paymentId: payment.id, amount: centsToAmount(payment.amountCents), currency: PAYMENT_CURRENCY });
      return { status: 200 };
    }
    payment.status = 'paid';
  }
  const refund = await paymentProvider.refundPayment({
    journeyId: run.journeyId,
    nodeKey: step.key,
    paymentId: payment.id!,
    amountCents: payment.amountCents,
    idempotencyKey: `${run.journeyId}/${step.key}/refund`,
  });
  payment.status = 'refunded';
  run.record('step.payment_refunded', step.key, { paymentId: payment.id, refundId: refund.refundId, amount: centsToAmount(payment.amountCents), currency: PAYMENT_CURRENCY });
  return { status: 200 };
}
