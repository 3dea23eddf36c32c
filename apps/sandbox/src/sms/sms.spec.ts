import { createHmac } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startSandbox, type RunningSandbox } from '../app';

const TOKEN = 'sandbox-sms-token';
const SECRET = 'sandbox-sms-secret';

interface Received {
  body: string;
  signature: string | undefined;
  timestamp: string | undefined;
  reportId: string | undefined;
  contentType: string | undefined;
}

/** A sender's callback endpoint: records each POST; answers 500 to the first `failFirst` of them. */
async function startReceiver(failFirst = 0) {
  const received: Received[] = [];
  let waiting: Array<() => void> = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ body: Buffer.concat(chunks).toString('utf8'), signature: req.headers['x-signature'] as string | undefined,
        timestamp: req.headers['x-timestamp'] as string | undefined,
        reportId: req.headers['x-report-id'] as string | undefined,
        contentType: req.headers['content-type'] });
      res.statusCode = received.length <= failFirst ? 500 : 204;
      res.end();
      const w = waiting;
      waiting = [];
      w.forEach((f) => f());
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/callbacks/sms`;
  const until = async (n: number) => {
    const deadline = Date.now() + 5_000;
    while (received.length < n) {
      if (Date.now() > deadline) throw new Error(`only ${received.length} of ${n} callbacks arrived`);
      await new Promise<void>((resolve) => {
        waiting.push(resolve);
        setTimeout(resolve, 100);
      });
    }
    return received;
  };
  return { url, received, until, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

describe('SMS gateway', () => {
  let sandbox: RunningSandbox;
  beforeAll(async () => {
    sandbox = await startSandbox({ port: 0, smsCallbackRetryDelaysMs: [20, 20, 20] });
  });
  afterAll(() => sandbox.close());
  afterEach(async () => {
    await fetch(`${sandbox.url}/_sandbox/sms/behaviour`, { method: 'DELETE' });
    await fetch(`${sandbox.url}/_sandbox/sms`, { method: 'DELETE' });
  });

  const send = (body: unknown, headers: Record<string, string | null> = {}) => {
    const h: Record<string, string> = { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}`, 'idempotency-key': `k-${Math.random()}` };
    for (const [k, v] of Object.entries(headers)) if (v === null) delete h[k];
    else h[k] = v;
    return fetch(`${sandbox.url}/sms/messages`, { method: 'POST', headers: h, body: JSON.stringify(body) });
  };
  const listed = async (query = '') => ((await (await fetch(`${sandbox.url}/_sandbox/sms${query}`)).json()) as { messages: any[] }).messages;

  it('accepts a message once per idempotency key and reports its delivery to the callback, signed', async () => {
    const receiver = await startReceiver();
    try {
      const body = { to: '+32470123456', text: 'Uw aanvraag wacht op u: https://levensloop.dev/j/1', reference: 'notif-1', callbackUrl: receiver.url };
      const first = await send(body, { 'idempotency-key': 'notif-1:sms' });
      expect(first.status).toBe(202);
      expect(first.headers.get('idempotent-replayed')).toBeNull();
      const { id, status } = (await first.json()) as { id: string; status: string };
      expect(status).toBe('accepted');

      const again = await send(body, { 'idempotency-key': 'notif-1:sms' });
      expect(again.status).toBe(202);
      expect(again.headers.get('idempotent-replayed')).toBe('true');
      expect(await again.json()).toEqual({ id, status: 'accepted' });

      const [callback] = await receiver.until(1);
      expect(callback.contentType).toMatch(/^application\/json/);
      // Signed over the timestamp, the report id and the body; the timestamp is the time of sending.
      expect(Math.abs(Number(callback.timestamp) - Date.now() / 1000)).toBeLessThan(10);
      expect(callback.reportId).toMatch(/^[0-9a-f-]{36}$/);
      const signed = `${callback.timestamp}.${callback.reportId}.${callback.body}`;
      expect(callback.signature).toBe(`sha256=${createHmac('sha256', SECRET).update(signed).digest('hex')}`);
      const report = JSON.parse(callback.body);
      expect(report).toEqual({ id, reference: 'notif-1', status: 'delivered', at: expect.any(String) });

      const messages = await listed('?to=%2B32470123456');
      expect(messages).toHaveLength(1);
      expect(messages[0]).toMatchObject({ id, to: '+32470123456', text: body.text, reference: 'notif-1', report, callback: { attempts: 1 } });
      // An unencoded + reads as a space; the gateway takes it for the + it was.
      expect(await listed('?to=+32470123456')).toHaveLength(1);
      expect(await listed('?to=%2B32470000000')).toEqual([]);
    } finally {
      await receiver.close();
    }
  });

  it('reports a number that is not in service as failed, and retries a callback that fails', async () => {
    const receiver = await startReceiver(2);
    try {
      const res = await send({ to: '+32499001234', text: 'Hallo', reference: 'notif-2', callbackUrl: receiver.url });
      expect(res.status).toBe(202);
      const { id } = (await res.json()) as { id: string };
      const received = await receiver.until(3);
      // The same report each time, so the sender can deduplicate it.
      expect(new Set(received.map((r) => r.body)).size).toBe(1);
      expect(new Set(received.map((r) => r.reportId)).size).toBe(1);
      expect(JSON.parse(received[2].body)).toMatchObject({ id, reference: 'notif-2', status: 'failed', error: expect.stringContaining('unreachable') });
      // The gateway records the receiver's answer once it arrives: read until it has.
      let [message] = await listed();
      for (let i = 0; i < 50 && !message.callback.delivered; i++) {
        await new Promise((resolve) => setTimeout(resolve, 20));
        [message] = await listed();
      }
      expect(message.callback).toMatchObject({ attempts: 3, delivered: true, lastResult: '204' });
    } finally {
      await receiver.close();
    }
  });

  it('gives up on a callback after four attempts', async () => {
    const receiver = await startReceiver(Infinity);
    try {
      await send({ to: '+32470123456', text: 'Hallo', callbackUrl: receiver.url });
      await receiver.until(4);
      let [message] = await listed();
      for (let i = 0; i < 50 && message.callback.lastResult !== '500'; i++) {
        await new Promise((resolve) => setTimeout(resolve, 20));
        [message] = await listed();
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(receiver.received).toHaveLength(4);
      expect((await listed())[0].callback).toEqual({ attempts: 4, delivered: false, lastResult: '500' });
      expect(message.report.status).toBe('delivered');
    } finally {
      await receiver.close();
    }
  });

  it('refuses a key reused for another message, a missing key, a wrong token and bad fields', async () => {
    await send({ to: '+32470123456', text: 'Eerste' }, { 'idempotency-key': 'k-1' });
    const reused = await send({ to: '+32470123456', text: 'Andere' }, { 'idempotency-key': 'k-1' });
    expect(reused.status).toBe(422);
    expect(reused.headers.get('content-type')).toMatch(/^application\/problem\+json/);

    const noKey = await send({ to: '+32470123456', text: 'x' }, { 'idempotency-key': null });
    expect(noKey.status).toBe(400);
    expect(((await noKey.json()) as { detail: string }).detail).toContain('Idempotency-Key');

    const noToken = await send({ to: '+32470123456', text: 'x' }, { authorization: null });
    expect(noToken.status).toBe(401);
    expect(noToken.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect((await send({ to: '+32470123456', text: 'x' }, { authorization: 'Bearer nope' })).status).toBe(401);

    const bad = await send({ to: '0470123456', text: 'x'.repeat(481), callbackUrl: 'ftp://x', colour: 'red' });
    expect(bad.status).toBe(400);
    const problem = (await bad.json()) as { errors: Array<{ pointer: string }> };
    expect(problem.errors.map((e) => e.pointer).sort()).toEqual(['/callbackUrl', '/colour', '/text', '/to']);
    expect((await listed()).map((m) => m.text)).toEqual(['Eerste']);
  });

  it('fails on purpose as many times as asked, then takes messages again', async () => {
    const put = await fetch(`${sandbox.url}/_sandbox/sms/behaviour`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ failWith: 429, failTimes: 2 }) });
    expect(put.status).toBe(200);
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) statuses.push((await send({ to: '+32470123456', text: `poging ${i}` })).status);
    expect(statuses).toEqual([429, 429, 202]);
    expect((await listed()).map((m) => m.text)).toEqual(['poging 2']);

    const bad = await fetch(`${sandbox.url}/_sandbox/sms/behaviour`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ failWith: 404 }) });
    expect(bad.status).toBe(400);
  });
});
