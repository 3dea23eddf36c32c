/**
 * Payments (issue 17, part 2): the provider's settlement of a payment, told to its journey by the
 * gateway (update id = the provider's event id, so a webhook delivered twice settles once), the
 * citizen's request for a new link, and the activities that create and refund a payment.
 */
import { defineUpdate } from '@temporalio/workflow';
import type { SettlementStatus, StepState, Translations } from '@levensloop/domain';

export interface SettlePaymentInput {
  nodeKey: string;
  /** The provider's payment id. */
  paymentId: string;
  status: SettlementStatus;
  /** The provider's event id (also the update's id). */
  eventId: string;
  /** When the provider says it happened (ISO-8601). */
  at: string;
}

export interface RenewPaymentInput {
  nodeKey: string;
  /** Who asked (the subject or a mandate holder). */
  by: string;
}

export const settlePaymentUpdate = defineUpdate<StepState, [SettlePaymentInput]>('settlePayment');
export const renewPaymentUpdate = defineUpdate<StepState, [RenewPaymentInput]>('renewPayment');

export interface CreatePaymentInput {
  journeyId: string;
  nodeKey: string;
  agency: string;
  /** Journey, step and attempt: a worker killed and restarted gets the same payment back. */
  idempotencyKey: string;
  attempt: number;
  amountCents: number;
  purpose: Translations;
  /** ISO-8601 duration from the creation: the link expires then. */
  linkValidFor: string;
}

export interface CreatePaymentResult {
  paymentId: string;
  checkoutUrl: string;
  expiresAt: string;
  /** The provider's status when it answered (open, or already settled when the same key came back later). */
  status: string;
}

export interface RefundPaymentInput {
  journeyId: string;
  nodeKey: string;
  paymentId: string;
  amountCents: number;
  /** One refund per journey and step, whatever retries and restarts happen. */
  idempotencyKey: string;
}

export interface RefundPaymentResult {
  refundId: string;
  status: string;
}

export interface CancelPaymentInput {
  journeyId: string;
  nodeKey: string;
  paymentId: string;
  idempotencyKey: string;
}

export interface PaymentActivities {
  createPayment(input: CreatePaymentInput): Promise<CreatePaymentResult>;
  /** Withdraws an open payment (its journey was cancelled); answers the provider's status after it: cancelled, or paid when the citizen paid first. */
  cancelPayment(input: CancelPaymentInput): Promise<{ status: string }>;
  refundPayment(input: RefundPaymentInput): Promise<RefundPaymentResult>;
}
