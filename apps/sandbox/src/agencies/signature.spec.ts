import { randomBytes } from 'node:crypto';
import { AgencyRejectedError, callAgencyEndpoint, signAgencyRequest, verifyAgencyRequest } from '@levensloop/agency-client';
import { startSandbox, type RunningSandbox } from '../app';

/** The engine signs every agency call (RFC 9421, hmac-sha256); an agency with a key refuses anything else. */
describe('signed agency calls', () => {
  const bankKey = randomBytes(32);
  let sandbox: RunningSandbox;
  let host: string;

  beforeAll(async () => {
    sandbox = await startSandbox({ port: 0, agencySigningKeys: new Map([['bank', bankKey]]) });
    host = new URL(sandbox.url).host;
  });
  afterAll(() => sandbox.close());

  const input = (agency: string, key: string) => ({
    journeyId: 'j-1',
    nodeKey: 'open',
    agency,
    endpoint: `${sandbox.url}/agencies/${agency}/open-account`,
    idempotencyKey: key,
    subject: { type: 'person' as const, id: '85073003328' },
    data: { iban: 'BE68539007547034' },
  });
  const options = (signingKey?: Buffer) => ({ timeoutMs: 5000, allowedInternalHosts: [host], signingKey });

  it('accepts a call signed with the agency key', async () => {
    await expect(callAgencyEndpoint(input('bank', 'sig-ok'), options(bankKey))).resolves.toMatchObject({ status: 200, body: { status: 'done' } });
  });

  it('answers 401 to an unsigned call and to a call signed with another key', async () => {
    for (const key of [undefined, randomBytes(32)]) {
      const err = await callAgencyEndpoint(input('bank', `sig-bad-${key ? 'key' : 'none'}`), options(key)).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(AgencyRejectedError);
      expect((err as AgencyRejectedError).status).toBe(401);
    }
    expect(sandbox.simulator.calls({ agency: 'bank' }).filter((c) => c.idempotencyKey.startsWith('sig-bad'))).toHaveLength(0);
  });

  it('answers 401 to a signed call whose body was changed on the way', async () => {
    const url = `${sandbox.url}/agencies/bank/open-account`;
    const body = JSON.stringify({ journeyId: 'j-1', step: 'open', data: { amount: 10 } });
    const headers = await signAgencyRequest({ method: 'POST', url, headers: { 'content-type': 'application/json', 'idempotency-key': 'sig-tampered' }, body }, 'bank', bankKey);
    const send = (payload: string, extra: Record<string, string> = {}) => fetch(url, { method: 'POST', headers: { ...headers, ...extra }, body: payload });

    const tampered = await send(body.replace('10', '10000'));
    expect(tampered.status).toBe(401);
    expect(((await tampered.json()) as { detail: string }).detail).toContain('Content-Digest does not match the body');
    // A matching digest of the new body does not help: the digest is signed.
    const { contentDigest } = await import('@levensloop/agency-client');
    const redigested = await send(body.replace('10', '10000'), { 'content-digest': contentDigest(body.replace('10', '10000')) });
    expect(redigested.status).toBe(401);
    expect((await send(body, { 'idempotency-key': 'sig-other-key' })).status).toBe(401);
    expect((await send(body)).status).toBe(200);
  });

  it('lets agencies without a key in the sandbox accept unsigned calls', async () => {
    await expect(callAgencyEndpoint(input('municipality', 'sig-unkeyed'), options())).resolves.toMatchObject({ status: 200 });
  });
});

describe('verifyAgencyRequest', () => {
  const key = randomBytes(32);
  const url = 'https://bank.example/agencies/bank/open-account';
  const body = '{"journeyId":"j"}';
  const signed = (at = new Date()) => signAgencyRequest({ method: 'POST', url, headers: { 'content-type': 'application/json', 'idempotency-key': 'k' }, body }, 'bank', key, at);

  it('accepts the engine signature and names what is wrong otherwise', async () => {
    const headers = await signed();
    expect(headers['signature-input']).toMatch(/^levensloop=\("@method" "@target-uri" "content-type" "content-digest" "idempotency-key"\);created=\d+;expires=\d+;keyid="bank";alg="hmac-sha256"$/);
    expect(await verifyAgencyRequest({ method: 'POST', url, headers, body: Buffer.from(body) }, 'bank', key)).toEqual({ ok: true, keyId: 'bank' });
    expect(await verifyAgencyRequest({ method: 'POST', url, headers, body: Buffer.from(body) }, 'bank', randomBytes(32))).toMatchObject({ ok: false });
    expect(await verifyAgencyRequest({ method: 'POST', url, headers, body: Buffer.from(body) }, 'municipality', key)).toMatchObject({ ok: false, reason: expect.stringContaining("keyid 'bank'") });
    expect(await verifyAgencyRequest({ method: 'POST', url: 'https://bank.example/agencies/bank/close-account', headers, body: Buffer.from(body) }, 'bank', key)).toMatchObject({ ok: false });
    expect(await verifyAgencyRequest({ method: 'POST', url, headers: { 'content-type': 'application/json' }, body: Buffer.from(body) }, 'bank', key)).toMatchObject({ ok: false, reason: expect.stringContaining('not signed') });
  });

  it('refuses a signature older than five minutes (a replayed capture)', async () => {
    const headers = await signed(new Date(Date.now() - 10 * 60_000));
    expect(await verifyAgencyRequest({ method: 'POST', url, headers, body: Buffer.from(body) }, 'bank', key)).toMatchObject({ ok: false });
  });
});
