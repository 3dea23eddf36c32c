import { randomUUID } from 'node:crypto';
import { CallbackTimers, signCallback } from '../http/signed-callback';
import type { Logger } from 'pino';

/** The token the sandbox's provider takes by default (the production profile refuses it). */
export const DEFAULT_PAYMENT_TOKEN = 'sandbox-payment-token';

export type SandboxPaymentStatus = 'open' | 'paid' | 'failed' | 'expired' | 'canceled';
export type WebhookType = 'payment.paid' | 'payment.failed' | 'payment.expired' | 'payment.refunded';

export interface SandboxPayment {
  id: string;
  idempotencyKey: string;
  status: SandboxPaymentStatus;
  amount: { value: string; currency: string };
  description: Record<string, string>;
  metadata: Record<string, unknown>;
  webhookUrl: string | null;
  checkoutUrl: string;
  createdAt: string;
  expiresAt: string;
  settledAt?: string;
  refunds: SandboxRefund[];
}

export interface SandboxRefund {
  id: string;
  idempotencyKey: string;
  amount: { value: string; currency: string };
  status: 'refunded';
  createdAt: string;
}

export interface WebhookEvent {
  id: string;
  type: WebhookType;
  paymentId: string;
  status: string;
  at: string;
  refundId?: string;
}

export interface PaymentRequest {
  amount: { value: string; currency: string };
  description: Record<string, string>;
  expiresAt: string;
  webhookUrl?: string;
  metadata?: Record<string, unknown>;
}

/** Signs a webhook as the mail side signs its reports: HMAC-SHA256 of "<timestamp>.<event id>.<raw body>". */
export const signWebhook = (rawBody: string, secret: string, eventId: string, nowMs = Date.now()) => signCallback('x-event-id', rawBody, secret, eventId, nowMs);

const AMOUNT = /^(0|[1-9]\d{0,6})(\.\d{1,2})?$/;

/** Checks a payment request; every problem named. */
export function parsePaymentRequest(body: unknown): { ok: true; value: PaymentRequest } | { ok: false; errors: string[] } {
  const b = (body && typeof body === 'object' && !Array.isArray(body) ? body : {}) as Record<string, unknown>;
  const errors: string[] = [];
  const amount = b.amount as Record<string, unknown> | undefined;
  if (!amount || typeof amount.value !== 'string' || !AMOUNT.test(amount.value) || Number(amount.value) <= 0) errors.push('amount.value must be a positive decimal text such as "45.00".');
  if (!amount || amount.currency !== 'EUR') errors.push('amount.currency must be EUR.');
  const description = b.description as Record<string, unknown> | undefined;
  if (!description || typeof description !== 'object' || typeof description.nl !== 'string') errors.push('description must be texts per language, with nl.');
  if (typeof b.expiresAt !== 'string' || Number.isNaN(Date.parse(b.expiresAt)) || Date.parse(b.expiresAt) <= Date.now()) errors.push('expiresAt must be an ISO-8601 instant in the future.');
  if (b.webhookUrl !== undefined && (typeof b.webhookUrl !== 'string' || !/^https?:\/\//.test(b.webhookUrl))) errors.push('webhookUrl, when given, must be an http(s) URL.');
  if (errors.length) return { ok: false, errors };
  return {
    ok: true,
    value: {
      amount: { value: amount!.value as string, currency: 'EUR' },
      description: Object.fromEntries(Object.entries(description!).filter(([, v]) => typeof v === 'string')) as Record<string, string>,
      expiresAt: new Date(b.expiresAt as string).toISOString(),
      ...(typeof b.webhookUrl === 'string' ? { webhookUrl: b.webhookUrl } : {}),
      ...(b.metadata && typeof b.metadata === 'object' ? { metadata: b.metadata as Record<string, unknown> } : {}),
    },
  };
}

export interface PaymentProviderOptions {
  logger: Logger;
  /** Key of the webhooks' X-Signature (the engine's PAYMENT_WEBHOOK_SECRET); unset: no webhooks are sent. */
  webhookSecret?: string;
  /** The base URL of the hosted payment page (`<it>/pay/<id>`). */
  baseUrl: () => string;
  /** Waits between webhook attempts after a failure; default 200 ms doubling to 30 s, 12 attempts in all. */
  retryDelaysMs?: number[];
  /** How often open payments past their expiry are expired; default 1 s. */
  sweepEveryMs?: number;
}

const DEFAULT_RETRIES = [200, 500, 1000, 2000, 4000, 8000, 15000, 30000, 30000, 30000, 30000];

/**
 * A simulated payment provider: one payment per idempotency key, a hosted page where the citizen
 * pays (or fails), expiry at `expiresAt`, idempotent refunds, and signed webhooks for each change,
 * retried with the same event id until the engine takes them (2xx) or the attempts run out.
 */
export class PaymentProvider {
  private readonly payments = new Map<string, SandboxPayment>();
  private readonly byKey = new Map<string, string>();
  private readonly timers = new CallbackTimers();
  private readonly sweeper: NodeJS.Timeout;
  /** Tests: how long the provider takes to answer a new payment, after it created it (an answer a caller may never see). */
  answerDelayMs = 0;
  /** Every webhook sent (or tried), with how it went. */
  readonly deliveries: Array<{ event: WebhookEvent; url: string; attempts: number; lastResult: string | null }> = [];

  constructor(private readonly options: PaymentProviderOptions) {
    this.sweeper = setInterval(() => this.expireDue(), options.sweepEveryMs ?? 1000);
    this.sweeper.unref();
  }

  byIdempotencyKey(key: string): SandboxPayment | undefined {
    const id = this.byKey.get(key);
    return id ? this.payments.get(id) : undefined;
  }

  get(id: string): SandboxPayment | undefined {
    return this.payments.get(id);
  }

  list(): SandboxPayment[] {
    return [...this.payments.values()];
  }

  create(request: PaymentRequest, idempotencyKey: string): SandboxPayment {
    const id = `tr_${randomUUID().replace(/-/g, '').slice(0, 20)}`;
    const payment: SandboxPayment = {
      id,
      idempotencyKey,
      status: 'open',
      amount: request.amount,
      description: request.description,
      metadata: request.metadata ?? {},
      webhookUrl: request.webhookUrl ?? null,
      checkoutUrl: `${this.options.baseUrl()}/pay/${id}`,
      createdAt: new Date().toISOString(),
      expiresAt: request.expiresAt,
      refunds: [],
    };
    this.payments.set(id, payment);
    this.byKey.set(idempotencyKey, id);
    return payment;
  }

  /** The citizen paid or failed on the page, or a test settles by call; only an open payment changes. */
  settle(id: string, status: Exclude<SandboxPaymentStatus, 'open'>): SandboxPayment | undefined {
    const payment = this.payments.get(id);
    if (!payment || payment.status !== 'open') return payment;
    payment.status = status;
    payment.settledAt = new Date().toISOString();
    this.notify(payment, { type: `payment.${status}`, status });
    return payment;
  }

  /** Withdraws an open payment (nothing can be paid with it any more); any other keeps its status. No webhook: the caller asked. */
  cancel(id: string): SandboxPayment | undefined {
    const payment = this.payments.get(id);
    if (payment?.status === 'open') {
      payment.status = 'canceled';
      payment.settledAt = new Date().toISOString();
    }
    return payment;
  }

  /** A refund of a paid payment; the same key returns the same refund. */
  refund(id: string, idempotencyKey: string, amount: { value: string; currency: string }): { refund?: SandboxRefund; error?: string } {
    const payment = this.payments.get(id);
    if (!payment) return { error: 'not-found' };
    const earlier = payment.refunds.find((r) => r.idempotencyKey === idempotencyKey);
    if (earlier) return { refund: earlier };
    if (payment.status !== 'paid') return { error: `The payment is ${payment.status}; only a paid payment is refunded.` };
    if (payment.refunds.length) return { error: 'The payment was refunded already.' };
    if (amount.value !== payment.amount.value || amount.currency !== payment.amount.currency) return { error: `A refund is of the whole amount (${payment.amount.value} ${payment.amount.currency}).` };
    const refund: SandboxRefund = { id: `re_${randomUUID().replace(/-/g, '').slice(0, 20)}`, idempotencyKey, amount, status: 'refunded', createdAt: new Date().toISOString() };
    payment.refunds.push(refund);
    this.notify(payment, { type: 'payment.refunded', status: 'refunded', refundId: refund.id });
    return { refund };
  }

  /** Sends an event again with its own id (a provider's redelivery): the engine must take it once. */
  redeliver(eventId: string): boolean {
    const earlier = this.deliveries.find((d) => d.event.id === eventId);
    if (!earlier) return false;
    this.send(earlier.event, earlier.url);
    return true;
  }

  dispose(): void {
    clearInterval(this.sweeper);
    this.timers.clear();
  }

  private expireDue(): void {
    const now = Date.now();
    for (const p of this.payments.values()) if (p.status === 'open' && Date.parse(p.expiresAt) <= now) this.settle(p.id, 'expired');
  }

  private notify(payment: SandboxPayment, change: { type: string; status: string; refundId?: string }): void {
    if (!payment.webhookUrl || !this.options.webhookSecret) return;
    const event: WebhookEvent = {
      id: `evt_${randomUUID()}`,
      type: change.type as WebhookType,
      paymentId: payment.id,
      status: change.status,
      at: new Date().toISOString(),
      ...(change.refundId ? { refundId: change.refundId } : {}),
    };
    this.send(event, payment.webhookUrl);
  }

  private send(event: WebhookEvent, url: string): void {
    const entry = { event, url, attempts: 0, lastResult: null as string | null };
    this.deliveries.push(entry);
    this.timers.later(0, () => void this.post(entry, JSON.stringify(event), 0));
  }

  private async post(entry: PaymentProvider['deliveries'][number], body: string, attempt: number): Promise<void> {
    entry.attempts = attempt + 1;
    try {
      const res = await fetch(entry.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...signWebhook(body, this.options.webhookSecret!, entry.event.id) },
        body,
        signal: AbortSignal.timeout(10_000),
      });
      await res.arrayBuffer().catch(() => undefined);
      entry.lastResult = String(res.status);
      // Taken, or refused for good (a bad signature or body). A 404 is tried again: the engine may
      // record the payment a moment after the provider created it (a worker restarted in between).
      if (res.ok || res.status === 401 || res.status === 400) return;
    } catch (err) {
      entry.lastResult = err instanceof Error ? err.message : String(err);
    }
    const wait = (this.options.retryDelaysMs ?? DEFAULT_RETRIES)[attempt];
    if (wait === undefined) {
      this.options.logger.warn({ url: entry.url, event: entry.event.id, attempts: entry.attempts, lastResult: entry.lastResult }, 'payment webhook not accepted; giving up');
      return;
    }
    this.timers.later(wait, () => void this.post(entry, body, attempt + 1));
  }
}
