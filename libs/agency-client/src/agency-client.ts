import type { AgencyCallInput, AgencyCallResult } from '@levensloop/contracts/workflow';

/** Thrown for answers that retrying will not change (4xx other than 408/425/429). */
export class AgencyRejectedError extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
    this.name = 'AgencyRejectedError';
  }
}

export interface AgencyClientOptions {
  timeoutMs: number;
}

const RETRYABLE_4XX = new Set([408, 425, 429]);

/**
 * Calls an agency endpoint over HTTP. The idempotency key lets the agency do the work once
 * however often the call is retried (after a timeout, a crash or a caseworker's retry).
 */
export async function callAgencyEndpoint(
  input: AgencyCallInput,
  options: AgencyClientOptions,
): Promise<AgencyCallResult> {
  const response = await fetch(input.endpoint, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/json',
      'idempotency-key': input.idempotencyKey,
    },
    body: JSON.stringify({
      journeyId: input.journeyId,
      step: input.nodeKey,
      subject: input.subject,
      data: input.data,
      ...(input.fields ? { fields: input.fields } : {}),
    }),
    signal: AbortSignal.timeout(options.timeoutMs),
  });
  const text = await response.text();
  let body: Record<string, unknown> = {};
  if (text) {
    try {
      const parsed: unknown = JSON.parse(text);
      body = parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : { value: parsed };
    } catch {
      body = { text: text.slice(0, 2000) };
    }
  }
  if (response.ok) {
    return { status: response.status, body, replayed: response.headers.get('idempotent-replayed') === 'true' };
  }
  const detail = typeof body.detail === 'string' ? body.detail : typeof body.title === 'string' ? body.title : text.slice(0, 200);
  const message = `${input.agency} answered ${response.status}${detail ? `: ${detail}` : ''}`;
  if (response.status >= 400 && response.status < 500 && !RETRYABLE_4XX.has(response.status)) {
    throw new AgencyRejectedError(message, response.status);
  }
  throw new Error(message);
}
