import { createHmac, timingSafeEqual } from 'node:crypto';
import type { FieldProblem } from '../common/problem';

/**
 * The payment provider's webhooks, signed as the mail side signs its reports: X-Signature is
 * sha256=<hex HMAC-SHA256 with PAYMENT_WEBHOOK_SECRET of "<X-Timestamp>.<X-Event-Id>.<raw body>">,
 * and the timestamp must be at most 5 minutes old (30 s ahead at most).
 */
export const WEBHOOK_MAX_AGE_SECONDS = 300;
export const WEBHOOK_MAX_SKEW_SECONDS = 30;
export const WEBHOOK_SIGNATURE_FORMAT = 'send X-Event-Id (the event\'s id), X-Timestamp (Unix seconds) and X-Signature: sha256=<hex HMAC-SHA256 of "<X-Timestamp>.<X-Event-Id>.<raw body>">';

export interface WebhookHeaders {
  signature?: string;
  timestamp?: string;
  eventId?: string;
}

export type WebhookCheck = { ok: true; eventId: string; signedAt: Date } | { ok: false; slug: string; detail: string };

export function checkWebhookSignature(rawBody: Buffer | undefined, headers: WebhookHeaders, secret: string, nowMs = Date.now()): WebhookCheck {
  const m = /^sha256=([0-9a-f]{64})$/i.exec(headers.signature?.trim() ?? '');
  const timestamp = headers.timestamp?.trim() ?? '';
  const eventId = headers.eventId?.trim() ?? '';
  if (!rawBody || !secret || !m || !/^\d{1,12}$/.test(timestamp) || !/^[\x21-\x7e]{1,200}$/.test(eventId)) {
    return { ok: false, slug: 'invalid-signature', detail: `The webhook is not signed as agreed: ${WEBHOOK_SIGNATURE_FORMAT}.` };
  }
  const expected = createHmac('sha256', secret).update(`${timestamp}.${eventId}.`).update(rawBody).digest();
  const given = Buffer.from(m[1], 'hex');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    return { ok: false, slug: 'invalid-signature', detail: `The webhook is not signed with the shared secret: ${WEBHOOK_SIGNATURE_FORMAT}.` };
  }
  const age = nowMs / 1000 - Number(timestamp);
  if (age > WEBHOOK_MAX_AGE_SECONDS || age < -WEBHOOK_MAX_SKEW_SECONDS) {
    return { ok: false, slug: 'stale-signature', detail: `The webhook was signed at ${new Date(Number(timestamp) * 1000).toISOString()}; only webhooks signed within the last 5 minutes (and at most 30 s ahead) are accepted: sign each attempt anew.` };
  }
  return { ok: true, eventId, signedAt: new Date(Number(timestamp) * 1000) };
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
