import { createHmac } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pino } from 'pino';
import { startSandbox, type RunningSandbox } from '../app';
import { signWebhook } from './payment-provider';

const SECRET = 'a-payment-webhook-secret';
let sandbox: RunningSandbox;
let receiver: Server;
let receiverUrl: string;
const received: Array<{ headers: Record<string, unknown>; body: string }> = [];
let answer = 200;

beforeAll(async () => {
  receiver = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      received.push({ headers: req.headers, body });
      res.statusCode = answer;
      res.end();
    });
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/callbacks/payments`;
  sandbox = await startSandbox({ port: 0, paymentWebhookSecret: SECRET, paymentWebhookRetryDelaysMs: [50, 50], logger: pino({ level: 'silent' }) });
});

afterAll(async () => {
  await sandbox?.close();
  await new Promise((r) => receiver?.close(r));
});

const api = (path: string, init: { method?: string; body?: unknown; key?: string; token?: string } = {}) =>
  fetch(`${sandbox.url}${path}`, {
    method: init.method ?? 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${init.token ?? 'sandbox-payment-token'}`, ...(init.key ? { 'idempotency-key': init.key } : {}) },
    ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
  });
const request = (amount = '45.00') => ({
  amount: { value: amount, currency: 'EUR' },
  description: { nl: 'Retributie', en: 'Fee' },
  expiresAt: new Date(Date.now() + 86_400_000).toISOString(),
  webhookUrl: receiverUrl,
  metadata: { journeyId: 'j1' },
});
const until = async (check: () => boolean) => {
  for (let i = 0; i < 400 && !check(); i++) await new Promise((r) => setTimeout(r, 25));
  expect(check()).toBe(true);
};

describe('the sandbox payment provider', () => {
  it('creates one payment per Idempotency-Key, wants a token and a key, and refuses the key for another amount', async () => {
    expect((await api('/payments', { body: request(), key: 'k1', token: 'wrong' })).status).toBe(401);
    expect((await api('/payments', { body: request() })).status).toBe(400);
    expect((await api('/payments', { body: { ...request(), amount: { value: '0', currency: 'EUR' } }, key: 'k0' })).status).toBe(400);
    const first = await api('/payments', { body: request(), key: 'k1' });
    expect(first.status).toBe(201);
    const payment = (await first.json()) as { id: string; checkoutUrl: string };
    expect(payment).toMatchObject({ status: 'open', amount: { value: '45.00', currency: 'EUR' }, checkoutUrl: `${sandbox.url}/pay/${payment.id}` });
    const again = await api('/payments', { body: request(), key: 'k1' });
    expect(again.status).toBe(200);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(((await again.json()) as { id: string }).id).toBe(payment.id);
    expect((await api('/payments', { body: request('50.00'), key: 'k1' })).status).toBe(422);
  });

  it('shows an accessible page in the reader’s language, takes pay or fail once, and signs each webhook', async () => {
    const payment = (await (await api('/payments', { body: request(), key: 'k2' })).json()) as { id: string; checkoutUrl: string };
    const page = await (await fetch(`${payment.checkoutUrl}?lang=fr`)).text();
    expect(page).toContain('<html lang="fr">');
    expect(page).toMatch(/<button class="pay" type="submit" name="action" value="pay">Payer<\/button>/);
    received.length = 0;
    const paid = await fetch(payment.checkoutUrl, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'action=pay' });
    expect(await paid.text()).toContain('role="status"');
    await fetch(payment.checkoutUrl, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'action=fail' });
    await until(() => received.length === 1);
    const { headers, body } = received[0];
    const event = JSON.parse(body);
    expect(event).toMatchObject({ type: 'payment.paid', paymentId: payment.id, status: 'paid' });
    expect(headers['x-event-id']).toBe(event.id);
    const expected = createHmac('sha256', SECRET).update(`${headers['x-timestamp']}.${event.id}.`).update(body).digest('hex');
    expect(headers['x-signature']).toBe(`sha256=${expected}`);
    expect(signWebhook(body, SECRET, event.id, Number(headers['x-timestamp']) * 1000)['x-signature']).toBe(headers['x-signature']);
    const listed = (await (await fetch(`${sandbox.url}/_sandbox/payments`)).json()) as { payments: Array<{ id: string; status: string }> };
    expect(listed.payments.find((p) => p.id === payment.id)?.status).toBe('paid');
  });

  it('refunds a paid payment once per key, the whole amount only; an open one not at all', async () => {
    const open = (await (await api('/payments', { body: request(), key: 'k3' })).json()) as { id: string };
    expect((await api(`/payments/${open.id}/refunds`, { body: { amount: { value: '45.00', currency: 'EUR' } }, key: 'r0' })).status).toBe(422);
    await api(`/_sandbox/payments/${open.id}/settle`, { body: { status: 'paid' } });
    expect((await api(`/payments/${open.id}/refunds`, { body: { amount: { value: '5.00', currency: 'EUR' } }, key: 'r1' })).status).toBe(422);
    const refund = (await (await api(`/payments/${open.id}/refunds`, { body: { amount: { value: '45.00', currency: 'EUR' } }, key: 'r1' })).json()) as { id: string };
    const again = (await (await api(`/payments/${open.id}/refunds`, { body: { amount: { value: '45.00', currency: 'EUR' } }, key: 'r1' })).json()) as { id: string };
    expect(again.id).toBe(refund.id);
    expect((await api(`/payments/${open.id}/refunds`, { body: { amount: { value: '45.00', currency: 'EUR' } }, key: 'r2' })).status).toBe(422);
    expect(((await (await api(`/payments/${open.id}`, { method: 'GET' })).json()) as { refunds: unknown[] }).refunds).toHaveLength(1);
  });

  it('expires an open link at its time, and tries a refused webhook again under the same event id', async () => {
    received.length = 0;
    answer = 503;
    const payment = (await (await api('/payments', { body: { ...request(), expiresAt: new Date(Date.now() + 300).toISOString() }, key: 'k4' })).json()) as { id: string };
    await until(() => received.length >= 3);
    answer = 200;
    const events = received.map((r) => JSON.parse(r.body) as { id: string; type: string; paymentId: string });
    expect(events.every((e) => e.type === 'payment.expired' && e.paymentId === payment.id && e.id === events[0].id)).toBe(true);
  });
});
