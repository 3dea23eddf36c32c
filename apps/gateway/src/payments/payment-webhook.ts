import { checkSignedCallback } from '../common/signed-callback';
import type { FieldProblem } from '../common/problem';

/**
 * The payment provider's webhooks are signed as the delivery reports are (see
 * checkSignedCallback): X-Signature is sha256=<hex HMAC-SHA256 with PAYMENT_WEBHOOK_SECRET of
 * "<X-Timestamp>.<X-Event-Id>.<raw body>">, signed at most 5 minutes ago (30 s ahead at most).
 */
export interface WebhookHeaders {
  signature?: string;
  timestamp?: string;
  eventId?: string;
}

export type WebhookCheck = { ok: true; eventId: string; signedAt: Date } | { ok: false; slug: string; detail: string };

export function checkWebhookSignature(rawBody: Buffer | undefined, headers: WebhookHeaders, secret: string, nowMs = Date.now()): WebhookCheck {
  const check = checkSignedCallback({ what: 'webhook', idHeader: 'X-Event-Id' }, rawBody, { ...headers, id: headers.eventId }, secret, nowMs);
  return check.ok ? { ok: true, eventId: check.id, signedAt: check.signedAt } : check;
}

export const WEBHOOK_TYPES = ['payment.paid', 'payment.failed', 'payment.expired', 'payment.refunded'] as const;
export type PaymentWebhookType = (typeof WEBHOOK_TYPES)[number];

export interface PaymentWebhook {
  id: string;
  type: PaymentWebhookType;
  paymentId: string;
  at: string;
}

/** Checks a webhook's body; every problem at its JSON pointer. Its id must be the signed X-Event-Id. */
export function parsePaymentWebhook(input: unknown, eventId: string): { ok: true; value: PaymentWebhook } | { ok: false; errors: FieldProblem[] } {
  if (!input || typeof input !== 'object' || Array.isArray(input)) return { ok: false, errors: [{ path: '', message: 'The body must be a JSON object { id, type, paymentId, at }.' }] };
  const b = input as Record<string, unknown>;
  const errors: FieldProblem[] = [];
  if (b.id !== eventId) errors.push({ path: '/id', message: 'id must be the event id signed in X-Event-Id' });
  if (!(WEBHOOK_TYPES as readonly unknown[]).includes(b.type)) errors.push({ path: '/type', message: `type must be one of ${WEBHOOK_TYPES.join(', ')}` });
  if (typeof b.paymentId !== 'string' || !/^[\x21-\x7e]{1,100}$/.test(b.paymentId)) errors.push({ path: '/paymentId', message: "paymentId must be the provider's payment id (1 to 100 visible characters)" });
  if (typeof b.at !== 'string' || Number.isNaN(Date.parse(b.at))) errors.push({ path: '/at', message: 'at must be an ISO-8601 time' });
  if (errors.length) return { ok: false, errors };
  return { ok: true, value: { id: eventId, type: b.type as PaymentWebhookType, paymentId: b.paymentId as string, at: new Date(b.at as string).toISOString() } };
}
