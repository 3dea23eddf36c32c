import type { NotificationsConfig } from '@levensloop/config';
import type { SendResult } from './channel';

/** Timeouts, 408, 429 and 5xx may pass; any other 4xx will not. */
export function classifyHttp(status: number, detail: string): SendResult {
  if (status === 408 || status === 429 || status >= 500) return { kind: 'temporary', error: `${status} ${detail}`.trim() };
  return { kind: 'permanent', error: `${status} ${detail}`.trim() };
}

export type HttpAnswer = { status: number; text: string; body: unknown } | { error: string };

/** JSON over HTTP with a bearer token and an idempotency key, within the dispatcher's send timeout. */
export async function sendJson(
  config: Pick<NotificationsConfig, 'timeoutMs'>,
  method: string,
  url: string,
  token: string | undefined,
  idempotencyKey: string | undefined,
  body: unknown,
): Promise<HttpAnswer> {
  const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json' };
  if (token) headers.authorization = `Bearer ${token}`;
  if (idempotencyKey) headers['idempotency-key'] = idempotencyKey;
  try {
    const res = await fetch(url, { method, headers, body: JSON.stringify(body), signal: AbortSignal.timeout(config.timeoutMs) });
    const text = await res.text();
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    return { status: res.status, text, body: parsed };
  } catch (err) {
    const e = err as Error & { cause?: { code?: string } };
    return { error: e.name === 'TimeoutError' ? `no answer within ${config.timeoutMs} ms` : `${e.message}${e.cause?.code ? ` (${e.cause.code})` : ''}` };
  }
}

/** A 2xx answer as delivered or accepted (with the provider's id when it gave one), anything else classified. */
export function answerToResult(answer: HttpAnswer, ok: (providerId: string | undefined) => SendResult): SendResult {
  if ('error' in answer) return { kind: 'temporary', error: answer.error };
  if (answer.status >= 200 && answer.status < 300) {
    const id = (answer.body as { id?: unknown } | undefined)?.id;
    return ok(typeof id === 'string' ? id : undefined);
  }
  return classifyHttp(answer.status, answer.text.slice(0, 300));
}
