import { randomUUID } from 'node:crypto';
import { CallbackTimers, signCallback } from '../http/signed-callback';
import type { Logger } from 'pino';
import { isHttpUrl, isObject, type FieldError } from './channel-http';

export const DEFAULT_SMS_TOKEN = 'sandbox-sms-token';
export const DEFAULT_SMS_CALLBACK_SECRET = 'sandbox-sms-secret';
/** Numbers under this prefix exist on no network: their report is `failed`, permanently. */
export const UNREACHABLE_PREFIX = '+3249900';
export const MAX_SMS_TEXT = 480;

export interface SmsRequest {
  to: string;
  text: string;
  reference?: string;
  callbackUrl?: string;
}

export interface DeliveryReport {
  id: string;
  reference: string | null;
  status: 'delivered' | 'failed';
  at: string;
  error?: string;
}

export interface StoredSms {
  id: string;
  to: string;
  text: string;
  reference: string | null;
  callbackUrl: string | null;
  idempotencyKey: string;
  receivedAt: string;
  /** Null until the network reported on it. */
  report: DeliveryReport | null;
  /** How the report reached the sender's callback: attempts made, and the last answer (status or error). */
  callback: { attempts: number; delivered: boolean; lastResult: string | null } | null;
}

export interface SmsGatewayOptions {
  logger: Logger;
  callbackSecret?: string;
  /** Time from acceptance to the delivery report; default 50 ms. */
  reportDelayMs?: number;
  /** Waits between callback attempts after a failure; default 200, 1000, 3000 ms (so four attempts). */
  callbackRetryDelaysMs?: number[];
  maxMessages?: number;
}

const E164 = /^\+[1-9]\d{6,14}$/;
const FIELDS = ['to', 'text', 'reference', 'callbackUrl'];

/** Validates a `POST /sms/messages` body; every problem at once. */
export function parseSmsRequest(input: unknown): { ok: true; value: SmsRequest } | { ok: false; errors: FieldError[] } {
  if (!isObject(input)) return { ok: false, errors: [{ pointer: '', detail: 'The body must be a JSON object { to, text, reference?, callbackUrl? }.' }] };
  const errors: FieldError[] = [];
  for (const key of Object.keys(input)) if (!FIELDS.includes(key)) errors.push({ pointer: `/${key}`, detail: `Unknown field "${key}"; use ${FIELDS.join(', ')}.` });
  if (typeof input.to !== 'string' || !E164.test(input.to)) errors.push({ pointer: '/to', detail: 'to must be a phone number in E.164 form, e.g. +32470123456.' });
  if (typeof input.text !== 'string' || input.text.length === 0 || input.text.length > MAX_SMS_TEXT) errors.push({ pointer: '/text', detail: `text must be a string of 1 to ${MAX_SMS_TEXT} characters.` });
  if (input.reference !== undefined && (typeof input.reference !== 'string' || input.reference.length === 0 || input.reference.length > 256)) {
    errors.push({ pointer: '/reference', detail: 'reference, when given, must be a string of 1 to 256 characters.' });
  }
  if (input.callbackUrl !== undefined && !isHttpUrl(input.callbackUrl)) errors.push({ pointer: '/callbackUrl', detail: 'callbackUrl, when given, must be an http(s) URL.' });
  if (errors.length) return { ok: false, errors };
  return { ok: true, value: input as unknown as SmsRequest };
}

/**
 * The headers that authenticate a delivery report: its id (`X-Report-Id`, the same on every
 * attempt, so the receiver can tell a replay), the time of sending in Unix seconds (`X-Timestamp`,
 * new on every attempt), and `X-Signature: sha256=<hex HMAC-SHA256 of "<timestamp>.<report id>.<raw body>">`.
 */
export const signSmsCallback = (rawBody: string, secret: string, reportId: string, nowMs = Date.now()) => signCallback('x-report-id', rawBody, secret, reportId, nowMs);

/** A simulated SMS provider: accepts messages once per idempotency key, then reports delivery to a callback. */
export class SmsGateway {
  private readonly messages = new Map<string, StoredSms>();
  private readonly byKey = new Map<string, string>();
  private readonly timers = new CallbackTimers();
  private sequence = 0;
  private readonly secret: string;
  private readonly reportDelayMs: number;
  private readonly retryDelaysMs: number[];
  private readonly maxMessages: number;

  constructor(private readonly options: SmsGatewayOptions) {
    this.secret = options.callbackSecret ?? DEFAULT_SMS_CALLBACK_SECRET;
    this.reportDelayMs = options.reportDelayMs ?? 50;
    this.retryDelaysMs = options.callbackRetryDelaysMs ?? [200, 1000, 3000];
    this.maxMessages = options.maxMessages ?? 10_000;
  }

  /** The first message sent with this key, if any. */
  byIdempotencyKey(key: string): StoredSms | undefined {
    const id = this.byKey.get(key);
    return id === undefined ? undefined : this.messages.get(id);
  }

  accept(request: SmsRequest, idempotencyKey: string): StoredSms {
    // Ids count up, so a test run reads the same ids every time.
    const id = `sms-${String(++this.sequence).padStart(6, '0')}`;
    const sms: StoredSms = {
      id,
      to: request.to,
      text: request.text,
      reference: request.reference ?? null,
      callbackUrl: request.callbackUrl ?? null,
      idempotencyKey,
      receivedAt: new Date().toISOString(),
      report: null,
      callback: request.callbackUrl ? { attempts: 0, delivered: false, lastResult: null } : null,
    };
    this.messages.set(id, sms);
    this.byKey.set(idempotencyKey, id);
    if (this.messages.size > this.maxMessages) {
      const oldest = this.messages.values().next().value as StoredSms;
      this.messages.delete(oldest.id);
      this.byKey.delete(oldest.idempotencyKey);
    }
    this.timers.later(this.reportDelayMs, () => this.report(sms));
    return sms;
  }

  list(filter: { to?: string } = {}): StoredSms[] {
    return [...this.messages.values()].filter((m) => !filter.to || m.to === filter.to);
  }

  clear(): void {
    this.dispose();
    this.messages.clear();
    this.byKey.clear();
  }

  /** Stops pending reports and callback retries. */
  dispose(): void {
    this.timers.clear();
  }

  private report(sms: StoredSms): void {
    const unreachable = sms.to.startsWith(UNREACHABLE_PREFIX);
    sms.report = {
      id: sms.id,
      reference: sms.reference,
      status: unreachable ? 'failed' : 'delivered',
      at: new Date().toISOString(),
      ...(unreachable ? { error: 'unreachable: the number is not in service' } : {}),
    };
    if (sms.callbackUrl) void this.callback(sms, JSON.stringify(sms.report), randomUUID(), 0);
  }

  private async callback(sms: StoredSms, body: string, reportId: string, attempt: number): Promise<void> {
    const state = sms.callback!;
    state.attempts = attempt + 1;
    try {
      const res = await fetch(sms.callbackUrl!, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...signSmsCallback(body, this.secret, reportId) },
        body,
        signal: AbortSignal.timeout(5_000),
      });
      await res.arrayBuffer().catch(() => undefined);
      state.lastResult = String(res.status);
      if (res.ok) {
        state.delivered = true;
        return;
      }
    } catch (err) {
      state.lastResult = err instanceof Error ? err.message : String(err);
    }
    const wait = this.retryDelaysMs[attempt];
    if (wait === undefined) {
      this.options.logger.warn({ sms: sms.id, callbackUrl: sms.callbackUrl, attempts: state.attempts, lastResult: state.lastResult }, 'sms delivery report not accepted; giving up');
      return;
    }
    this.timers.later(wait, () => void this.callback(sms, body, reportId, attempt + 1));
  }
}
