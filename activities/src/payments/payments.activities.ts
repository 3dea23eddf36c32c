import { ApplicationFailure } from '@temporalio/common';
import type { DataSource } from 'typeorm';
import { centsToAmount, PAYMENT_CURRENCY, addDuration } from '@levensloop/domain';
import { Payments } from '@levensloop/persistence';
import type { CancelPaymentInput, CreatePaymentInput, CreatePaymentResult, PaymentActivities, RefundPaymentInput, RefundPaymentResult } from '@levensloop/contracts/workflow';
import { PaymentProviderClient, type PaymentProviderSettings } from './provider-client';

export interface PaymentActivityDeps {
  dataSource: DataSource;
  provider: Partial<PaymentProviderSettings> & { timeoutMs: number };
  /** Where the provider posts its webhooks: `<gateway public URL>/callbacks/payments`. */
  webhookUrl: string;
}

/**
 * The payment step's activities: create a payment at the provider (under the workflow's
 * idempotency key, so a retry or a restarted worker gets the same payment back) and record which
 * journey and step it belongs to; refund a paid one (once per journey and step).
 */
export function createPaymentActivities(deps: PaymentActivityDeps): PaymentActivities {
  const payments = new Payments(deps.dataSource);
  const client = () => {
    const { url, token, timeoutMs } = deps.provider;
    // Not configured: the step needs attention (a caseworker retries once it is), rather than retrying for ever.
    if (!url || !token) throw ApplicationFailure.nonRetryable('No payment provider is configured (PAYMENT_PROVIDER_URL, PAYMENT_PROVIDER_TOKEN).', 'PaymentProviderMissing');
    return new PaymentProviderClient({ url, token, timeoutMs });
  };
  return {
    async createPayment(input: CreatePaymentInput): Promise<CreatePaymentResult> {
      const created = await client().create(input.idempotencyKey, {
        amount: { value: centsToAmount(input.amountCents), currency: PAYMENT_CURRENCY },
        description: input.purpose,
        // The provider counts validity from its own clock; the request says how long.
        expiresAt: addDuration(new Date().toISOString(), input.linkValidFor),
        webhookUrl: deps.webhookUrl,
        metadata: { journeyId: input.journeyId, nodeKey: input.nodeKey, attempt: input.attempt, agency: input.agency },
      });
      // Before the workflow hears of it: a webhook that arrives first finds its journey (or is tried again).
      await payments.record({
        paymentId: created.id,
        idempotencyKey: input.idempotencyKey,
        journeyId: input.journeyId,
        nodeKey: input.nodeKey,
        attempt: input.attempt,
        amountCents: input.amountCents,
        currency: PAYMENT_CURRENCY,
        checkoutUrl: created.checkoutUrl,
        expiresAt: created.expiresAt,
      });
      return { paymentId: created.id, checkoutUrl: created.checkoutUrl, expiresAt: created.expiresAt, status: created.status };
    },
    async cancelPayment(input: CancelPaymentInput): Promise<{ status: string }> {
      return client().cancel(input.paymentId, input.idempotencyKey);
    },
    async refundPayment(input: RefundPaymentInput): Promise<RefundPaymentResult> {
      const refund = await client().refund(input.paymentId, input.idempotencyKey, { value: centsToAmount(input.amountCents), currency: PAYMENT_CURRENCY });
      return { refundId: refund.id, status: refund.status };
    },
  };
}
