import express, { Router } from 'express';
import { badRequest, problem, sendProblem } from '../http/problem';
import { requireBearer, requireIdempotencyKey } from '../sms/channel-http';
import { pageLanguage, paymentPage } from './payment-page';
import { parsePaymentRequest, type PaymentProvider, type SandboxPayment } from './payment-provider';

const view = (p: SandboxPayment) => ({
  id: p.id,
  status: p.status,
  amount: p.amount,
  description: p.description,
  metadata: p.metadata,
  checkoutUrl: p.checkoutUrl,
  createdAt: p.createdAt,
  expiresAt: p.expiresAt,
  ...(p.settledAt ? { settledAt: p.settledAt } : {}),
  refunds: p.refunds.map((r) => ({ id: r.id, amount: r.amount, status: r.status, createdAt: r.createdAt })),
});

/** The provider's API (as the worker calls it) and its hosted payment page (as the citizen's browser opens it). */
export function paymentRoutes(provider: PaymentProvider, token: string): Router {
  const router = Router();
  const realm = 'sandbox payment provider';

  router.post('/payments', (req, res) => {
    if (!requireBearer(req, res, token, realm)) return;
    const key = requireIdempotencyKey(req, res);
    if (key === undefined) return;
    const earlier = provider.byIdempotencyKey(key);
    if (earlier) {
      // The same key returns the same payment, never a second one (a retried or restarted caller).
      const amount = (req.body as { amount?: { value?: unknown } } | undefined)?.amount?.value;
      if (amount !== undefined && amount !== earlier.amount.value) {
        return sendProblem(res, problem(422, 'idempotency-key-reused', `Idempotency-Key "${key}" was used for another payment (${earlier.id}, ${earlier.amount.value} EUR); use a new key for a new payment.`));
      }
      res.set('Idempotent-Replayed', 'true');
      return res.status(200).json(view(earlier));
    }
    const parsed = parsePaymentRequest(req.body);
    if (!parsed.ok) return badRequest(res, `The payment is not valid: ${parsed.errors.join(' ')}`, { errors: parsed.errors });
    const payment = provider.create(parsed.value, key);
    // Created already: a caller that dies while it waits for this answer gets the same payment under the same key.
    const answer = () => res.status(201).json(view(payment));
    if (provider.answerDelayMs > 0) setTimeout(answer, provider.answerDelayMs).unref();
    else answer();
  });

  router.get('/payments/:id', (req, res) => {
    if (!requireBearer(req, res, token, realm)) return;
    const payment = provider.get(req.params.id);
    if (!payment) return sendProblem(res, problem(404, 'payment-not-found', `No payment ${req.params.id}.`));
    res.json(view(payment));
  });

  router.post('/payments/:id/cancel', (req, res) => {
    if (!requireBearer(req, res, token, realm)) return;
    if (requireIdempotencyKey(req, res) === undefined) return;
    const payment = provider.cancel(req.params.id);
    if (!payment) return sendProblem(res, problem(404, 'payment-not-found', `No payment ${req.params.id}.`));
    res.json(view(payment));
  });

  router.post('/payments/:id/refunds', (req, res) => {
    if (!requireBearer(req, res, token, realm)) return;
    const key = requireIdempotencyKey(req, res);
    if (key === undefined) return;
    const amount = (req.body as { amount?: { value?: unknown; currency?: unknown } } | undefined)?.amount;
    if (!amount || typeof amount.value !== 'string' || typeof amount.currency !== 'string') return badRequest(res, 'A refund is { "amount": { "value": "45.00", "currency": "EUR" } }.');
    const result = provider.refund(req.params.id, key, { value: amount.value, currency: amount.currency });
    if (result.error === 'not-found') return sendProblem(res, problem(404, 'payment-not-found', `No payment ${req.params.id}.`));
    if (result.error) return sendProblem(res, problem(422, 'refund-refused', result.error));
    res.status(201).json(result.refund);
  });

  // The hosted page: what the citizen sees, and the two buttons of the test environment.
  router.get('/pay/:id', (req, res) => {
    const payment = provider.get(req.params.id);
    res.status(payment ? 200 : 404).type('html').send(paymentPage(payment, pageLanguage(req.query.lang, req.get('accept-language'))));
  });
  router.post('/pay/:id', express.urlencoded({ extended: false, limit: '4kb' }), (req, res) => {
    const payment = provider.get(req.params.id);
    const action = (req.body as { action?: unknown } | undefined)?.action;
    if (payment && (action === 'pay' || action === 'fail')) provider.settle(payment.id, action === 'pay' ? 'paid' : 'failed');
    res.status(payment ? 200 : 404).type('html').send(paymentPage(payment, pageLanguage(req.query.lang, req.get('accept-language'))));
  });

  return router;
}

/** What the provider holds and sent, and settling by call for tests. */
export function paymentControlRoutes(provider: PaymentProvider): Router {
  const router = Router();
  router.get('/_sandbox/payments', (_req, res) => {
    res.json({ payments: provider.list().map(view), webhooks: provider.deliveries.map((d) => ({ ...d.event, url: d.url, attempts: d.attempts, lastResult: d.lastResult })) });
  });
  router.post('/_sandbox/payments/:id/settle', (req, res) => {
    const status = (req.body as { status?: unknown } | undefined)?.status;
    if (status !== 'paid' && status !== 'failed' && status !== 'expired') return badRequest(res, 'Settle with { "status": "paid" | "failed" | "expired" }.');
    const payment = provider.settle(req.params.id, status);
    if (!payment) return sendProblem(res, problem(404, 'payment-not-found', `No payment ${req.params.id}.`));
    res.json(view(payment));
  });
  router.put('/_sandbox/payments/behaviour', (req, res) => {
    const delay = (req.body as { answerDelayMs?: unknown } | undefined)?.answerDelayMs;
    if (typeof delay !== 'number' || !Number.isInteger(delay) || delay < 0 || delay > 600_000) return badRequest(res, 'Behaviour is { "answerDelayMs": 0..600000 }: how long a new payment waits for its answer after it was created.');
    provider.answerDelayMs = delay;
    res.json({ answerDelayMs: delay });
  });
  router.post('/_sandbox/payments/webhooks/:eventId/redeliver', (req, res) => {
    if (!provider.redeliver(req.params.eventId)) return sendProblem(res, problem(404, 'event-not-found', `No webhook ${req.params.eventId} was sent.`));
    res.status(202).json({ redelivered: req.params.eventId });
  });
  return router;
}
