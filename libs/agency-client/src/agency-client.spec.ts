import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { AgencyCallRefusedError, callAgencyEndpoint } from './agency-client';

/** A local agency whose answer each test sets; allow-listed, as the sandbox is in development. */
describe('callAgencyEndpoint: what the engine accepts as an answer', () => {
  let server: http.Server;
  let port: number;
  let answer: (req: http.IncomingMessage, res: http.ServerResponse) => void;
  const hits: string[] = [];

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      hits.push(req.url ?? '');
      req.resume();
      req.on('end', () => answer(req, res));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
  beforeEach(() => {
    hits.length = 0;
  });

  const call = (opts: { maxResponseBytes?: number } = {}) =>
    callAgencyEndpoint(
      { journeyId: 'j', nodeKey: 'n', agency: 'bank', endpoint: `http://127.0.0.1:${port}/agencies/bank/open`, idempotencyKey: 'k', subject: { type: 'person', id: '1' }, data: {} },
      { timeoutMs: 3000, allowedInternalHosts: [`127.0.0.1:${port}`], ...opts },
    );
  const refusal = async (opts: { maxResponseBytes?: number } = {}) => {
    const err = await call(opts).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AgencyCallRefusedError);
    return (err as Error).message;
  };
  const json = (status: number, body: string, headers: Record<string, string> = {}) => (_req: http.IncomingMessage, res: http.ServerResponse) => {
    res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(body);
  };

  it('never follows a redirect: a 3xx is a failed attempt naming where it pointed (without its query)', async () => {
    for (const status of [301, 302, 303, 307, 308]) {
      answer = json(status, '', { location: `http://127.0.0.1:${port}/oidc/dev-token?role=catalog-admin` });
      const message = await refusal();
      expect(message).toBe(`bank answered ${status} (a redirect to http://127.0.0.1:${port}/oidc/dev-token), which is never followed; the step's endpoint must answer itself`);
    }
    expect(hits.every((h) => h === '/agencies/bank/open')).toBe(true);
  });

  it('stops reading an answer beyond the cap (declared length or streamed)', async () => {
    answer = json(200, JSON.stringify({ blob: 'x'.repeat(2000) }));
    expect(await refusal({ maxResponseBytes: 1024 })).toContain('larger than 1024 bytes');
    answer = (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' }); // chunked: no content-length
      res.write('{"blob":"');
      const chunk = 'y'.repeat(16 * 1024);
      let sent = 0;
      const more = () => {
        while (sent < 40 && res.write(chunk)) sent++;
        if (sent < 40 && !res.destroyed) res.once('drain', more);
        else res.end('"}');
      };
      more();
    };
    expect(await refusal({ maxResponseBytes: 256 * 1024 })).toContain('larger than 262144 bytes');
    answer = json(200, JSON.stringify({ small: true }));
    await expect(call({ maxResponseBytes: 1024 })).resolves.toMatchObject({ body: { small: true } });
  });

  it.each([
    ['[1,2]', 'a JSON array'],
    ['"a token"', 'a JSON string'],
    ['42', 'a JSON number'],
    ['true', 'a JSON boolean'],
    ['null', 'null'],
  ])('refuses %s as an outcome (%s), wrapping nothing', async (body, what) => {
    answer = json(200, body);
    expect(await refusal()).toBe(`bank answered with ${what}; an agency answers a JSON object`);
  });

  it('refuses a body that is not JSON', async () => {
    answer = (_req, res) => res.writeHead(200, { 'content-type': 'text/plain' }).end('access_token=eyJ...');
    const message = await refusal();
    expect(message).toContain('not JSON');
    expect(message).not.toContain('eyJ');
  });

  it('returns a JSON object as it is', async () => {
    answer = json(200, '{"status":"done","reference":"R-1"}', { 'idempotent-replayed': 'true' });
    await expect(call()).resolves.toEqual({ status: 200, body: { status: 'done', reference: 'R-1' }, replayed: true });
  });

  it('refuses plain http in the production profile before calling', async () => {
    const err = await callAgencyEndpoint(
      { journeyId: 'j', nodeKey: 'n', agency: 'bank', endpoint: `http://127.0.0.1:${port}/x`, idempotencyKey: 'k', subject: { type: 'person', id: '1' }, data: {} },
      { timeoutMs: 3000, allowedInternalHosts: [`127.0.0.1:${port}`], requireHttps: true },
    ).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AgencyCallRefusedError);
    expect((err as Error).message).toContain('plain http');
    expect(hits).toHaveLength(0);
  });
});

describe('callAgencyEndpoint: the caller cancels', () => {
  let server: http.Server;
  let port: number;
  let arrived = 0;

  beforeAll(async () => {
    // An agency that never answers: only the caller's signal (or the timeout) ends the call.
    server = http.createServer((req) => {
      arrived++;
      req.resume();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => {
    server.closeAllConnections();
    return new Promise<void>((resolve) => server.close(() => resolve()));
  });

  const call = (signal: AbortSignal) =>
    callAgencyEndpoint(
      { journeyId: 'j', nodeKey: 'n', agency: 'bank', endpoint: `http://127.0.0.1:${port}/agencies/bank/slow`, idempotencyKey: 'k', subject: { type: 'person', id: '1' }, data: {} },
      { timeoutMs: 10_000, allowedInternalHosts: [`127.0.0.1:${port}`], signal },
    );

  it('aborts a call in flight at once and rejects with the signal\'s reason, not as a timeout', async () => {
    const controller = new AbortController();
    const reason = new Error('worker shutting down');
    const started = Date.now();
    const pending = call(controller.signal).catch((e: unknown) => e);
    await new Promise((r) => setTimeout(r, 200));
    expect(arrived).toBe(1);
    controller.abort(reason);
    expect(await pending).toBe(reason);
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('makes no call when already cancelled', async () => {
    const before = arrived;
    const reason = new Error('cancelled');
    await expect(call(AbortSignal.abort(reason))).rejects.toBe(reason);
    expect(arrived).toBe(before);
  });
});
