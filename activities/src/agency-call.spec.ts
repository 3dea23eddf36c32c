import { randomBytes } from 'node:crypto';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApplicationFailure, CancelledFailure } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import { verifyAgencyRequest } from '@levensloop/agency-client';
import { AGENCY_CALL_REFUSED, createAgencyCaller } from './agency-call';

/** The call-time checks of the worker, against a local agency (allow-listed, as the sandbox is). */
describe('createAgencyCaller', () => {
  let server: http.Server;
  let host: string;
  let answer = '{}';
  const received: Array<{ url: string; headers: http.IncomingHttpHeaders; body: Buffer }> = [];

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        received.push({ url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks) });
        res.writeHead(200, { 'content-type': 'application/json' }).end(answer);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    host = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
  beforeEach(() => {
    received.length = 0;
  });

  const key = randomBytes(32);
  const input = (endpoint = `http://${host}/agencies/bank/open`, outputs = [{ name: 'reference', type: 'string' as const }]) => ({
    journeyId: 'j',
    nodeKey: 'open',
    agency: 'bank',
    endpoint,
    idempotencyKey: 'j/open',
    subject: { type: 'person' as const, id: '1' },
    data: {},
    outputs,
  });
  const warnings: unknown[] = [];
  const caller = (hosts: string[], policy: { production?: boolean; signingKeys?: Map<string, Buffer> } = {}) =>
    createAgencyCaller({ hostsOf: async () => hosts, warn: (_m, attributes) => warnings.push(attributes) }, { timeoutMs: 3000, allowedInternalHosts: [host], ...policy });
  const refusal = async (promise: Promise<unknown>) => {
    const err = await promise.then(() => undefined, (e: unknown) => e);
    expect(err).toBeInstanceOf(ApplicationFailure);
    expect((err as ApplicationFailure).type).toBe(AGENCY_CALL_REFUSED);
    expect((err as ApplicationFailure).nonRetryable).toBe(true);
    return (err as Error).message;
  };

  it("refuses an endpoint that is no longer on the agency's hosts, without calling it", async () => {
    expect(await refusal(caller(['bank.example'])(input()))).toContain(`${host} is not among the endpoint hosts of agency 'bank': it may use bank.example`);
    expect(await refusal(caller([])(input()))).toContain("agency 'bank' has no endpoint hosts yet");
    expect(received).toHaveLength(0);
  });

  it('signs the call with the agency key, which the agency verifies', async () => {
    answer = '{"reference":"R-1"}';
    await caller([host], { signingKeys: new Map([['bank', key]]) })(input());
    const [call] = received;
    expect(call.headers['signature-input']).toContain('keyid="bank"');
    expect(await verifyAgencyRequest({ method: 'POST', url: `http://${host}${call.url}`, headers: call.headers, body: call.body }, 'bank', key)).toEqual({ ok: true, keyId: 'bank' });
  });

  it('the production profile calls no agency without a key and no plain http endpoint', async () => {
    expect(await refusal(caller([host], { production: true })(input()))).toContain("agency 'bank' has no signing key");
    expect(await refusal(caller([host], { production: true, signingKeys: new Map([['bank', key]]) })(input()))).toContain('plain http');
    expect(received).toHaveLength(0);
  });

  it('keeps the declared outputs, names the dropped fields, and refuses a declared field of another type', async () => {
    answer = '{"reference":"R-1","access_token":"eyJhbGciOi.secret","role":"catalog-admin"}';
    warnings.length = 0;
    await expect(caller([host])(input())).resolves.toEqual({ status: 200, body: { reference: 'R-1' }, dropped: ['access_token', 'role'], replayed: false });
    expect(warnings).toEqual([{ agency: 'bank', step: 'open', dropped: ['access_token', 'role'] }]);
    expect(JSON.stringify(warnings)).not.toContain('eyJ');
    await expect(caller([host])(input(undefined, []))).resolves.toMatchObject({ body: {}, dropped: ['reference', 'access_token', 'role'] });
    answer = '{"reference":42}';
    expect(await refusal(caller([host])(input()))).toBe('bank answered fields of another type than the step declares: reference (a number, declared string)');
  });
});

/** A cancelled activity (a worker's shutdown past its grace, the server's cancellation) ends its agency call. */
describe('createAgencyCaller in an activity that is cancelled', () => {
  let server: http.Server;
  let host: string;

  beforeAll(async () => {
    server = http.createServer((req) => req.resume()); // never answers
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    host = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => {
    server.closeAllConnections();
    return new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('aborts the call and reports the cancellation (a CancelledFailure), long before the call would time out', async () => {
    const env = new MockActivityEnvironment();
    const callAgency = createAgencyCaller({ hostsOf: async () => [host] }, { timeoutMs: 20_000, allowedInternalHosts: [host] });
    const started = Date.now();
    const pending = env
      .run(callAgency, { journeyId: 'j', nodeKey: 'slow', agency: 'bank', endpoint: `http://${host}/agencies/bank/slow`, idempotencyKey: 'j/slow', subject: { type: 'person' as const, id: '1' }, data: {}, outputs: [] })
      .catch((e: unknown) => e);
    await new Promise((r) => setTimeout(r, 200));
    env.cancel('WORKER_SHUTDOWN');
    const err = await pending;
    expect(err).toBeInstanceOf(CancelledFailure);
    expect((err as CancelledFailure).message).toBe('WORKER_SHUTDOWN');
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('heartbeats while a call takes long (so that the server\'s cancellation reaches it), and no more once it ended', async () => {
    const env = new MockActivityEnvironment();
    let beats = 0;
    env.on('heartbeat', () => beats++);
    const callAgency = createAgencyCaller({ hostsOf: async () => [host] }, { timeoutMs: 20_000, allowedInternalHosts: [host], heartbeatAfterMs: 100 });
    const pending = env
      .run(callAgency, { journeyId: 'j', nodeKey: 'slow', agency: 'bank', endpoint: `http://${host}/agencies/bank/slow`, idempotencyKey: 'j/slow', subject: { type: 'person' as const, id: '1' }, data: {}, outputs: [] })
      .catch((e: unknown) => e);
    await new Promise((r) => setTimeout(r, 350));
    expect(beats).toBeGreaterThanOrEqual(2);
    env.cancel();
    expect(await pending).toBeInstanceOf(CancelledFailure);
    const after = beats;
    await new Promise((r) => setTimeout(r, 250));
    expect(beats).toBe(after); // none once the call ended
  });
});
