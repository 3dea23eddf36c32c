/**
 * Payment steps end to end over HTTP (sandbox as the payment provider, worker and gateway as
 * processes, real PostgreSQL and Temporal): paid at the hosted page → the step completes once; the
 * same webhook twice settles once; a bad signature is 401 and changes nothing; an expired link is
 * told and a new link works; a journey cancelled after payment is refunded once; and a worker
 * killed after the payment was created, before the webhook, leaves one payment, paid once.
 */
import { createHmac, randomUUID } from 'node:crypto';
import { createTestDatabase } from '../support/database';
import { expectProblem, type Api } from '../support/http';
import { pollUntil } from '../support/poll';
import { sandboxRequest, startStack, type Stack } from '../support/stack';

jest.setTimeout(300_000);

const run = randomUUID().slice(0, 6);
const NATIONAL_NUMBER = '85073003328';
const AGENCY = `paycity-${run}`;
const LIFE_EVENT = `renovate-${run}`;
const SECRET = 'test-payment-webhook-secret';
let db: { url: string; drop: () => Promise<void> };
let stack: Stack;
let admin: Api;
let auditor: Api;
let citizen: Api;
let otherCitizen: Api;

const titles = (nl: string) => ({ nl, fr: `${nl} (fr)`, de: `${nl} (de)`, en: `${nl} (en)` });
const purpose = { nl: 'Retributie omgevingsvergunning', fr: "Redevance permis d'environnement", de: 'Gebühr Umgebungsgenehmigung', en: 'Environment permit fee' };

beforeAll(async () => {
  db = await createTestDatabase('e2e_payments');
  stack = await startStack(db.url, 'payments');
  admin = stack.api.as(await stack.token({ role: 'catalog-admin', sub: 'admin-1' }));
  auditor = stack.api.as(await stack.token({ role: 'auditor', sub: 'auditor-1' }));
  citizen = stack.api.as(await stack.token({ role: 'citizen', nationalNumber: NATIONAL_NUMBER, sub: 'citizen-1' }));
  otherCitizen = stack.api.as(await stack.token({ role: 'citizen', nationalNumber: '90010100123', sub: 'citizen-2' }));
  expect((await admin.post('/agencies', { code: AGENCY, names: titles(AGENCY) })).status).toBe(201);
  // A bad declaration is refused at its field.
  const bad = await admin.post(`/agencies/${AGENCY}/steps`, {
    key: 'bad-fee',
    kind: 'payment',
    titles: titles('Retributie'),
    serviceNorm: { target: 'P14D' },
    payment: { amount: '0.00', purpose: { nl: 'Retributie' }, linkValidFor: 'P7D', reminderBefore: 'P8D' },
  });
  expectProblem(bad, 422);
  expect(bad.body.errors.map((e: { path: string }) => e.path)).toEqual(expect.arrayContaining(['/payment/amount', '/payment/purpose/fr', '/payment/reminderBefore']));
  for (const body of [
    { key: 'permit-fee', kind: 'payment', titles: titles('Retributie betalen'), serviceNorm: { target: 'P14D' }, payment: { amount: '45.00', purpose, linkValidFor: 'P7D', reminderBefore: 'P2D' } },
    { key: 'permit', kind: 'caseworker', titles: titles('Vergunning'), serviceNorm: { target: 'P30D' } },
  ]) {
    const created = await admin.post(`/agencies/${AGENCY}/steps`, body);
    expect(created.status).toBe(201);
    expect((await admin.post(`/agencies/${AGENCY}/steps/${body.key}/versions/${created.body.version}/publish`)).status).toBe(200);
  }
  const lifeEvent = await admin.post('/life-events', {
    key: LIFE_EVENT,
    audience: 'citizen',
    titles: titles('Een woning verbouwen'),
    nodes: [
      { key: 'fee', step: { agency: AGENCY, key: 'permit-fee', version: 1 } },
      { key: 'permit', step: { agency: AGENCY, key: 'permit', version: 1 }, dependsOn: ['fee'] },
    ],
  });
  expect(lifeEvent.status).toBe(201);
  expect((await admin.post(`/life-events/${LIFE_EVENT}/versions/1/publish`)).status).toBe(200);
});

afterAll(async () => {
  await stack?.stop();
  await db?.drop();
});

async function journeyOf(id: string) {
  const res = await auditor.get(`/journeys/${id}`);
  expect(res.status).toBe(200);
  return res.body;
}
const stepOf = (journey: any, key: string) => journey.steps.find((s: any) => s.key === key);
const count = (journey: any, type: string) => journey.timeline.filter((e: any) => e.type === type).length;

interface ProviderPayment {
  id: string;
  status: string;
  metadata: { journeyId?: string; attempt?: number };
  refunds: unknown[];
}
async function providerPayments(journeyId: string): Promise<ProviderPayment[]> {
  const all = (await sandboxRequest(stack, 'GET', '/_sandbox/payments')) as { payments: ProviderPayment[] };
  return all.payments.filter((p) => p.metadata.journeyId === journeyId);
}
async function webhooksOf(paymentId: string) {
  const all = (await sandboxRequest(stack, 'GET', '/_sandbox/payments')) as { webhooks: Array<{ id: string; type: string; paymentId: string; attempts: number; lastResult: string | null }> };
  return all.webhooks.filter((w) => w.paymentId === paymentId);
}

async function start(): Promise<string> {
  const started = await citizen.post('/journeys', { lifeEvent: { key: LIFE_EVENT }, subject: { type: 'person', id: NATIONAL_NUMBER }, data: {} }, { 'idempotency-key': randomUUID() });
  expect(started.status).toBe(201);
  return started.body.id;
}

/** The journey's payment link, once open (attempt n). */
async function openPayment(id: string, attempt = 1, timeoutMs = 60_000) {
  return pollUntil(`payment ${attempt} open`, async () => {
    const j = await journeyOf(id);
    const p = stepOf(j, 'fee')?.payment;
    return p?.status === 'open' && p.attempt === attempt ? { journey: j, payment: p } : undefined;
  }, { timeoutMs });
}

/** The citizen presses "pay" (or "fail") on the provider's hosted page. */
async function pressOnPage(checkoutUrl: string, action: 'pay' | 'fail') {
  const page = await fetch(`${checkoutUrl}?lang=en`);
  expect(page.status).toBe(200);
  const html = await page.text();
  expect(html).toContain('<html lang="en">');
  expect(html).toContain('€45.00');
  expect(html).toContain('Environment permit fee');
  const res = await fetch(`${checkoutUrl}?lang=en`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: `action=${action}` });
  expect(res.status).toBe(200);
}

async function waitForStep(id: string, key: string, status: string, timeoutMs = 60_000) {
  return pollUntil(`step ${key} ${status}`, async () => {
    const j = await journeyOf(id);
    return stepOf(j, key)?.status === status ? j : undefined;
  }, { timeoutMs });
}

function signed(body: string, eventId: string, secret = SECRET, at = Date.now()) {
  const timestamp = String(Math.floor(at / 1000));
  const signature = createHmac('sha256', secret).update(`${timestamp}.${eventId}.`).update(body).digest('hex');
  return { 'content-type': 'application/json', 'x-event-id': eventId, 'x-timestamp': timestamp, 'x-signature': `sha256=${signature}` };
}

test('paid at the hosted page: the step completes once, shows the payment, and the next step opens; the same webhook again settles nothing more', async () => {
  const id = await start();
  const { journey, payment } = await openPayment(id);
  expect(payment).toMatchObject({ status: 'open', amount: '45.00', currency: 'EUR', purpose, attempt: 1 });
  expect(payment.checkoutUrl).toMatch(/\/pay\/tr_/);
  expect(Date.parse(payment.expiresAt) - Date.now()).toBeGreaterThan(6 * 86_400_000);
  expect(stepOf(journey, 'fee')).toMatchObject({ kind: 'payment', status: 'waiting' });
  // The citizen sees it on their own journey; no task is opened for it.
  expect(stepOf((await citizen.get(`/journeys/${id}`)).body, 'fee').payment.checkoutUrl).toBe(payment.checkoutUrl);
  expect(stepOf(journey, 'fee').task).toBeUndefined();

  await pressOnPage(payment.checkoutUrl, 'pay');
  const done = await waitForStep(id, 'permit', 'waiting');
  expect(stepOf(done, 'fee')).toMatchObject({ status: 'completed', payment: { status: 'paid', amount: '45.00' } });
  expect(stepOf(done, 'fee').payment.checkoutUrl).toBeUndefined();
  expect(count(done, 'step.payment_received')).toBe(1);

  const [provider] = await providerPayments(id);
  // The provider's delivery is answered once the journey took it (the step may show completed a moment before).
  const paid = await pollUntil('the paid webhook answered 200', async () => (await webhooksOf(provider.id)).find((w) => w.lastResult === '200'), { timeoutMs: 30_000 });
  expect(paid).toMatchObject({ type: 'payment.paid', attempts: 1 });
  // The provider delivers the same event again, and the gateway is sent it once more by hand: one settlement.
  await sandboxRequest(stack, 'POST', `/_sandbox/payments/webhooks/${paid.id}/redeliver`);
  const body = JSON.stringify({ id: paid.id, type: 'payment.paid', paymentId: provider.id, status: 'paid', at: new Date().toISOString() });
  const again = await stack.api.request('POST', '/callbacks/payments', JSON.parse(body), signed(JSON.stringify(JSON.parse(body)), paid.id));
  expect(again.status).toBe(200);
  expect(again.body).toMatchObject({ duplicate: true, journeyId: id, step: 'fee', paymentStatus: 'paid' });
  await pollUntil('the redelivery answered', async () => (await webhooksOf(provider.id)).filter((w) => w.id === paid.id && w.lastResult === '200').length === 2 || undefined, { timeoutMs: 30_000 });
  const after = await journeyOf(id);
  expect(count(after, 'step.payment_received')).toBe(1);
  expect(count(after, 'step.completed')).toBe(1);
  expect(await providerPayments(id)).toHaveLength(1);
  // The citizen is told: the link, then the payment received (one message each).
  const told = (await auditor.get(`/journeys/${id}/notifications`)).body.notifications.map((m: { category: string }) => m.category);
  expect(told.filter((c: string) => c.startsWith('payment.')).sort()).toEqual(['payment.received', 'payment.requested']);
});

test('a webhook with a bad signature, a stale one or none is refused with 401 and changes nothing; an unknown payment is 404', async () => {
  const id = await start();
  const { payment } = await openPayment(id);
  const [provider] = await providerPayments(id);
  const eventId = `evt_${randomUUID()}`;
  const body = { id: eventId, type: 'payment.paid', paymentId: provider.id, at: new Date().toISOString() };
  const raw = JSON.stringify(body);
  for (const headers of [signed(raw, eventId, 'not-the-secret-at-all'), signed(raw, eventId, SECRET, Date.now() - 10 * 60_000), { 'content-type': 'application/json' }]) {
    const refused = await stack.api.request('POST', '/callbacks/payments', body, headers);
    expectProblem(refused, 401);
  }
  await new Promise((r) => setTimeout(r, 1000));
  const j = await journeyOf(id);
  expect(stepOf(j, 'fee')).toMatchObject({ status: 'waiting', payment: { status: 'open', checkoutUrl: payment.checkoutUrl } });
  expect(count(j, 'step.payment_received')).toBe(0);
  const unknownId = `evt_${randomUUID()}`;
  const unknown = JSON.stringify({ id: unknownId, type: 'payment.paid', paymentId: 'tr_nobody', at: new Date().toISOString() });
  expectProblem(await stack.api.request('POST', '/callbacks/payments', JSON.parse(unknown), signed(unknown, unknownId)), 404);
  // The signed event id must be the body's.
  expectProblem(await stack.api.request('POST', '/callbacks/payments', body, signed(raw, 'evt_other')), 400);
});

test('an expired link is told; the citizen asks a new one (not while one is valid, not someone else), and pays with it', async () => {
  const id = await start();
  const { payment } = await openPayment(id);
  expectProblem(await citizen.post(`/journeys/${id}/steps/fee/payment`), 409);
  const [first] = await providerPayments(id);
  await sandboxRequest(stack, 'POST', `/_sandbox/payments/${first.id}/settle`, { status: 'expired' });
  const expired = await pollUntil('payment expired', async () => {
    const j = await journeyOf(id);
    return stepOf(j, 'fee').payment?.status === 'expired' ? j : undefined;
  });
  expect(stepOf(expired, 'fee')).toMatchObject({ status: 'waiting' });
  expect(stepOf(expired, 'fee').payment.checkoutUrl).toBeUndefined();
  expect(count(expired, 'step.payment_expired')).toBe(1);

  expectProblem(await otherCitizen.post(`/journeys/${id}/steps/fee/payment`), 404);
  const renewed = await citizen.post(`/journeys/${id}/steps/fee/payment`);
  expect(renewed.status).toBe(202);
  expect(renewed.body.payment).toMatchObject({ renewRequested: true });
  expectProblem(await citizen.post(`/journeys/${id}/steps/fee/payment`), 409);
  const second = await openPayment(id, 2);
  expect(second.payment.checkoutUrl).not.toBe(payment.checkoutUrl);
  await pressOnPage(second.payment.checkoutUrl, 'pay');
  const done = await waitForStep(id, 'fee', 'completed');
  expect(stepOf(done, 'fee').payment).toMatchObject({ status: 'paid', attempt: 2 });
  expect((await providerPayments(id)).map((p) => p.status)).toEqual(['expired', 'paid']);
});

test('cancelled after payment: the payment is refunded exactly once and the citizen is told what was undone', async () => {
  const id = await start();
  const { payment } = await openPayment(id);
  await pressOnPage(payment.checkoutUrl, 'pay');
  await waitForStep(id, 'permit', 'waiting');
  const cancelled = await citizen.post(`/journeys/${id}/cancel`, { reason: 'I do not renovate after all' });
  expect(cancelled.status).toBe(200);
  const journey = await pollUntil('journey cancelled', async () => {
    const j = await journeyOf(id);
    return j.status === 'cancelled' ? j : undefined;
  });
  expect(stepOf(journey, 'fee')).toMatchObject({ compensation: { status: 'done' }, payment: { status: 'refunded' } });
  expect(count(journey, 'step.payment_refunded')).toBe(1);
  expect(journey.timeline.find((e: any) => e.type === 'journey.cancelled').detail).toMatchObject({ undone: ['fee'] });
  const [provider] = await providerPayments(id);
  expect(provider.refunds).toHaveLength(1);
  await pollUntil('the refund webhook taken', async () => (await webhooksOf(provider.id)).some((w) => w.type === 'payment.refunded' && w.lastResult === '200') || undefined, { timeoutMs: 30_000 });
});

test('the worker killed after the payment was created, before the webhook: restarted, the webhook lands, paid once, one payment at the provider', async () => {
  const id = await start();
  const { payment } = await openPayment(id);
  await stack.killWorker();
  try {
    // Paid while no worker runs: the gateway cannot reach the journey (503) and the provider tries again.
    await pressOnPage(payment.checkoutUrl, 'pay');
    const [provider] = await providerPayments(id);
    await pollUntil('a webhook attempt refused while the worker is down', async () => (await webhooksOf(provider.id)).some((w) => w.attempts >= 1 && w.lastResult !== '200') || undefined, { timeoutMs: 60_000 });
  } finally {
    await stack.restartWorker();
  }
  const done = await waitForStep(id, 'permit', 'waiting', 120_000);
  expect(stepOf(done, 'fee')).toMatchObject({ status: 'completed', payment: { status: 'paid', attempt: 1 } });
  expect(count(done, 'step.payment_received')).toBe(1);
  expect(count(done, 'step.payment_requested')).toBe(1);
  const payments = await providerPayments(id);
  expect(payments).toHaveLength(1);
  expect(payments[0].status).toBe('paid');
});

test('the worker killed while the provider creates the payment (created, the answer not yet back): restarted, the same payment comes back under its key, paid once', async () => {
  // The provider creates the payment at once and answers 20 s later: the worker dies in between.
  await sandboxRequest(stack, 'PUT', '/_sandbox/payments/behaviour', { answerDelayMs: 20_000 });
  let id = '';
  try {
    id = await start();
    await pollUntil('the payment created at the provider', async () => (await providerPayments(id)).length === 1 || undefined, { timeoutMs: 60_000 });
    await stack.killWorker();
  } finally {
    await sandboxRequest(stack, 'PUT', '/_sandbox/payments/behaviour', { answerDelayMs: 0 });
  }
  await stack.restartWorker();
  // The activity's attempt times out (30 s) and is retried under the same key: the same payment.
  const { payment } = await openPayment(id, 1, 120_000);
  const [provider] = await providerPayments(id);
  expect(payment.checkoutUrl).toBe(`${stack.sandboxUrl}/pay/${provider.id}`);
  await pressOnPage(payment.checkoutUrl, 'pay');
  const done = await waitForStep(id, 'permit', 'waiting', 120_000);
  expect(count(done, 'step.payment_requested')).toBe(1);
  expect(count(done, 'step.payment_received')).toBe(1);
  const payments = await providerPayments(id);
  expect(payments).toHaveLength(1);
  expect(payments[0].status).toBe('paid');
});

test('cancelled while the link is open: the link is withdrawn at the provider, nothing can be paid with it, nothing is refunded', async () => {
  const id = await start();
  const { payment } = await openPayment(id);
  expect((await citizen.post(`/journeys/${id}/cancel`, { reason: 'Not now' })).status).toBe(200);
  const journey = await pollUntil('journey cancelled', async () => {
    const j = await journeyOf(id);
    return j.status === 'cancelled' ? j : undefined;
  });
  expect(stepOf(journey, 'fee')).toMatchObject({ status: 'cancelled', payment: { status: 'cancelled' }, compensation: { status: 'done' } });
  expect(count(journey, 'step.payment_cancelled')).toBe(1);
  expect(count(journey, 'step.payment_refunded')).toBe(0);
  const res = await fetch(`${payment.checkoutUrl}?lang=en`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'action=pay' });
  expect(await res.text()).toContain('This payment was withdrawn');
  const [provider] = await providerPayments(id);
  expect(provider).toMatchObject({ status: 'canceled', refunds: [] });
});

test('a payment that fails at the page is told; the citizen asks a new link and pays with it', async () => {
  const id = await start();
  const { payment } = await openPayment(id);
  await pressOnPage(payment.checkoutUrl, 'fail');
  const failed = await pollUntil('payment failed', async () => {
    const j = await journeyOf(id);
    return stepOf(j, 'fee').payment?.status === 'failed' ? j : undefined;
  });
  expect(count(failed, 'step.payment_failed')).toBe(1);
  expect(stepOf(failed, 'fee').status).toBe('waiting');
  expect((await citizen.post(`/journeys/${id}/steps/fee/payment`)).status).toBe(202);
  const second = await openPayment(id, 2);
  await pressOnPage(second.payment.checkoutUrl, 'pay');
  const done = await waitForStep(id, 'fee', 'completed');
  expect(count(done, 'step.payment_received')).toBe(1);
  expect((await providerPayments(id)).map((p) => p.status)).toEqual(['failed', 'paid']);
});
