import { ApplicationFailure } from '@temporalio/common';

export interface PaymentProviderSettings {
  url: string;
  token: string;
  timeoutMs: number;
}

export interface ProviderPayment {
  id: string;
  status: string;
  checkoutUrl: string;
  expiresAt: string;
}

/** The largest answer read from the provider. */
const MAX_ANSWER_BYTES = 64 * 1024;

/**
 * The payment provider's API, as the sandbox plays it (and providers like Mollie or Stripe shape
 * theirs): `POST /payments` and `POST /payments/{id}/refunds`, each under an `Idempotency-Key`.
 * A 4xx is a mistake that a retry cannot fix (non-retryable: the step needs attention); a 5xx, 429,
 * a timeout or a broken connection is retried by the activity's policy.
 */
export class PaymentProviderClient {
  constructor(private readonly settings: PaymentProviderSettings) {}

  async create(idempotencyKey: string, body: Record<string, unknown>): Promise<ProviderPayment> {
    const answer = await this.post('/payments', idempotencyKey, body);
    const { id, status, checkoutUrl, expiresAt } = answer as Record<string, unknown>;
    if (typeof id !== 'string' || !id || typeof checkoutUrl !== 'string' || !/^https?:\/\//.test(checkoutUrl) || typeof expiresAt !== 'string' || Number.isNaN(Date.parse(expiresAt))) {
      throw ApplicationFailure.retryable('The payment provider answered without id, checkoutUrl and expiresAt.', 'PaymentProviderAnswer');
    }
    return { id, status: typeof status === 'string' ? status : 'open', checkoutUrl, expiresAt: new Date(expiresAt).toISOString() };
  }

  async refund(paymentId: string, idempotencyKey: string, amount: { value: string; currency: string }): Promise<{ id: string; status: string }> {
    const answer = (await this.post(`/payments/${encodeURIComponent(paymentId)}/refunds`, idempotencyKey, { amount })) as Record<string, unknown>;
    if (typeof answer.id !== 'string') throw ApplicationFailure.retryable('The payment provider answered a refund without its id.', 'PaymentProviderAnswer');
    return { id: answer.id, status: typeof answer.status === 'string' ? answer.status : 'pending' };
  }

  /** Withdraws an open payment; the provider answers its status after it (`canceled`, or `paid` when it was paid first). */
  async cancel(paymentId: string, idempotencyKey: string): Promise<{ status: string }> {
    const answer = (await this.post(`/payments/${encodeURIComponent(paymentId)}/cancel`, idempotencyKey, {})) as Record<string, unknown>;
    return { status: typeof answer.status === 'string' ? answer.status : 'canceled' };
  }

  private async post(path: string, idempotencyKey: string, body: unknown): Promise<unknown> {
    let res: Response;
    try {
      res = await fetch(`${this.settings.url}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${this.settings.token}`, 'idempotency-key': idempotencyKey },
        body: JSON.stringify(body),
        redirect: 'error',
        signal: AbortSignal.timeout(this.settings.timeoutMs),
      });
    } catch (err) {
      throw ApplicationFailure.retryable(`The payment provider could not be reached: ${err instanceof Error ? err.message : String(err)}`, 'PaymentProviderUnreachable');
    }
    const text = await res.text();
    if (text.length > MAX_ANSWER_BYTES) throw ApplicationFailure.retryable('The payment provider answered more than 64 KiB.', 'PaymentProviderAnswer');
    if (res.status >= 500 || res.status === 429 || res.status === 409) {
      throw ApplicationFailure.retryable(`The payment provider answered ${res.status}.`, 'PaymentProviderUnavailable');
    }
    if (!res.ok) throw ApplicationFailure.nonRetryable(`The payment provider refused the request (${res.status}): ${text.slice(0, 300)}`, 'PaymentProviderRefused', { status: res.status });
    try {
      return JSON.parse(text);
    } catch {
      throw ApplicationFailure.retryable('The payment provider answered something other than JSON.', 'PaymentProviderAnswer');
    }
  }
}
