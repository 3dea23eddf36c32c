import type { AddressInfo } from 'node:net';
import express from 'express';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { startSandbox, type RunningSandbox } from '../app';

interface Received {
  contentType?: string;
  authorization?: string;
  body: any;
}

/** A stand-in for the engine's POST /events: records what arrives, answers what the test says. */
async function startReceiver() {
  const received: Received[] = [];
  const answers: number[] = [];
  const app = express();
  app.use(express.json({ type: ['application/json', 'application/cloudevents+json'] }));
  app.post('/events', (req, res) => {
    received.push({ contentType: req.get('content-type'), authorization: req.get('authorization'), body: req.body });
    res.status(answers.shift() ?? 202).json({});
  });
  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/events`;
  return {
    url,
    received,
    /** The next answers, in order; 202 after them. */
    answerNext: (...statuses: number[]) => answers.push(...statuses),
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

describe('source events', () => {
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let sandbox: RunningSandbox;
  const post = (path: string, body: unknown = {}) =>
    fetch(`${sandbox.url}/_sandbox/events${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

  beforeAll(async () => {
    receiver = await startReceiver();
    sandbox = await startSandbox({ port: 0, eventsUrl: receiver.url, eventRetryDelaysMs: [10, 20, 40] });
  });
  afterAll(async () => {
    await sandbox.close();
    await receiver.close();
  });
  beforeEach(() => {
    receiver.received.length = 0;
  });

  it('registers a birth to the Flemish couple by default and delivers a signed CloudEvent', async () => {
    const { flemishCouple } = sandbox.population.examples();
    const res = await post('/births');
    expect(res.status).toBe(201);
    const { event, delivery } = (await res.json()) as any;
    expect(delivery).toEqual({ status: 202, attempts: 1 });
    const child = sandbox.population.person(event.subject)!;
    expect(child.parents).toEqual(flemishCouple.parents);
    expect(child.addressId).toBe(flemishCouple.address.id);
    expect(event).toEqual({
      specversion: '1.0',
      id: expect.any(String),
      source: 'national-register',
      type: 'be.national-register.birth.registered',
      subject: child.nationalNumber,
      time: expect.any(String),
      datacontenttype: 'application/json',
      data: {
        child: { nationalNumber: child.nationalNumber, birthDate: new Date().toISOString().slice(0, 10), name: child.name },
        parents: flemishCouple.parents,
        municipality: flemishCouple.address.municipality,
        municipalityCode: flemishCouple.address.municipalityCode,
        region: 'BE-VLG',
      },
    });
    for (const parent of flemishCouple.parents) expect(sandbox.population.person(parent)!.children).toContain(child.nationalNumber);

    expect(receiver.received).toHaveLength(1);
    const [got] = receiver.received;
    expect(got.contentType).toMatch(/^application\/cloudevents\+json/);
    expect(got.body).toEqual(event);
    const token = got.authorization!.replace(/^Bearer /, '');
    const { payload } = await jwtVerify(token, createRemoteJWKSet(new URL(`${sandbox.url}/oidc/jwks`)), { issuer: `${sandbox.url}/oidc`, audience: 'levensloop' });
    expect(payload).toMatchObject({ roles: ['source'], source: 'national-register', sub: 'source:national-register' });
  });

  it('retries a delivery the receiver could not take, and stops at a refusal', async () => {
    receiver.answerNext(503, 500);
    const retried = (await (await post('/births', {})).json()) as any;
    expect(retried.delivery).toEqual({ status: 202, attempts: 3 });
    expect(receiver.received.map((r) => r.body.id)).toEqual([retried.event.id, retried.event.id, retried.event.id]);

    receiver.answerNext(422);
    const refused = (await (await post('/births', {})).json()) as any;
    expect(refused.delivery).toMatchObject({ status: 422, attempts: 1 });

    receiver.answerNext(503, 503, 503, 503);
    const given = (await (await post('/births', {})).json()) as any;
    expect(given.delivery).toMatchObject({ status: 503, attempts: 4 });
  });

  it('records without delivering when asked, and lists published events', async () => {
    const { brusselsCouple } = sandbox.population.examples();
    const res = await post('/births', { parents: brusselsCouple.parents, deliver: false });
    const { event, delivery } = (await res.json()) as any;
    expect(delivery).toBeNull();
    expect(event.data.region).toBe('BE-BRU');
    expect(receiver.received).toHaveLength(0);
    const listed = (await (await fetch(`${sandbox.url}/_sandbox/events?subject=${event.subject}`)).json()) as any;
    expect(listed.events).toEqual([{ event, delivery: null, at: expect.any(String) }]);
  });

  it('refuses bad births with problem+json', async () => {
    const bad = await post('/births', { parents: ['123'], extra: 1 });
    expect(bad.status).toBe(400);
    expect(bad.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(((await bad.json()) as any).errors).toHaveLength(1); // the unknown field is reported first
    expect((await post('/births', { parents: ['123'] })).status).toBe(400);
    expect((await post('/births', { parents: ['00010100197'] })).status).toBe(404);
  });

  it('annuls a registered birth and removes the child; fixture persons cannot be annulled', async () => {
    const born = (await (await post('/births', { deliver: false })).json()) as any;
    const nn = born.event.subject;
    const res = await post(`/births/${nn}/annul`);
    expect(res.status).toBe(201);
    const { event, delivery } = (await res.json()) as any;
    expect(event).toMatchObject({ type: 'be.national-register.birth.annulled', source: 'national-register', subject: nn, data: { child: { nationalNumber: nn } } });
    expect(delivery.status).toBe(202);
    expect(sandbox.population.person(nn)).toBeUndefined();
    expect((await post(`/births/${nn}/annul`)).status).toBe(404);
    expect((await post(`/births/${sandbox.population.examples().elderlyPerson}/annul`)).status).toBe(409);
  });

  it('moves a household and tells only that the records changed', async () => {
    const { walloonCouple } = sandbox.population.examples();
    const res = await post(`/persons/${walloonCouple.parents[0]}/move`, { postalCode: '3000' });
    expect(res.status).toBe(201);
    const body = (await res.json()) as any;
    expect(body.event).toMatchObject({ type: 'be.national-register.person.changed', subject: walloonCouple.parents[0], data: { nationalNumber: walloonCouple.parents[0] } });
    expect(Object.keys(body.event.data)).toEqual(['nationalNumber']);
    expect(body.address).toMatchObject({ postalCode: '3000', municipality: 'Leuven', region: 'BE-VLG' });
    expect(new Set(body.moved)).toEqual(new Set([...walloonCouple.parents, ...walloonCouple.children]));
    expect(body.household.map((h: any) => h.event.subject).sort()).toEqual(body.moved.filter((nn: string) => nn !== walloonCouple.parents[0]).sort());
    expect(receiver.received.map((r) => r.body.subject).sort()).toEqual([...body.moved].sort());
    expect(sandbox.population.examples().walloonCouple.address.postalCode).toBe('3000');

    expect((await post(`/persons/${walloonCouple.parents[0]}/move`, { postalCode: '9999' })).status).toBe(400);
  });

  it('corrects a name and names the corrected fields', async () => {
    const nn = sandbox.population.examples().personWithPhoneOnly;
    const res = await post(`/persons/${nn}/correct`, { name: { family: 'Vandenberghe' } });
    expect(res.status).toBe(201);
    const { event } = (await res.json()) as any;
    expect(event).toMatchObject({ type: 'be.national-register.person.corrected', data: { nationalNumber: nn, fields: ['name.family'] } });
    expect(sandbox.population.person(nn)!.name.family).toBe('Vandenberghe');
    // The same correction again changes nothing.
    expect((await post(`/persons/${nn}/correct`, { name: { family: 'Vandenberghe' } })).status).toBe(400);
    expect((await post(`/persons/${nn}/correct`, {})).status).toBe(400);
    expect((await post(`/persons/${nn}/correct`, { name: { nick: 'x' } })).status).toBe(400);
  });

  it('registers an enterprise with a token of the enterprise register', async () => {
    const { personWithoutContact } = sandbox.population.examples();
    const res = await post('/enterprises', { founder: personWithoutContact, name: 'Frituur De Hoek', activityCodes: ['56301'] });
    expect(res.status).toBe(201);
    const { event, delivery } = (await res.json()) as any;
    expect(delivery.status).toBe(202);
    const number = event.subject;
    expect(event).toMatchObject({
      source: 'enterprise-register',
      type: 'be.enterprise-register.enterprise.registered',
      data: { enterprise: { enterpriseNumber: number, name: 'Frituur De Hoek', founder: personWithoutContact } },
    });
    expect(sandbox.population.enterprise(number)).toMatchObject({ legalForm: 'sole-trader', activityCodes: ['56301'], representatives: [{ nationalNumber: personWithoutContact, role: 'owner' }] });
    const token = receiver.received[0].authorization!.replace(/^Bearer /, '');
    const { payload } = await jwtVerify(token, createRemoteJWKSet(new URL(`${sandbox.url}/oidc/jwks`)));
    expect(payload.source).toBe('enterprise-register');

    expect((await post('/enterprises', { founder: '123', activityCodes: ['5630'] })).status).toBe(400);
    expect((await post('/enterprises', { founder: '00010100197' })).status).toBe(404);
  });

  it('delivers a given event as is, duplicates included', async () => {
    const event = { specversion: '1.0', id: 'dup-1', source: 'national-register', type: 'be.national-register.person.changed', subject: '85073003328', data: { nationalNumber: '85073003328' } };
    const results = await Promise.all([post('/deliver', { event }), post('/deliver', { event })]);
    for (const r of results) expect(((await r.json()) as any).delivery).toEqual({ status: 202, attempts: 1 });
    expect(receiver.received.map((r) => r.body)).toEqual([event, event]);

    expect((await post('/deliver', { event: { ...event, source: 'somewhere' } })).status).toBe(400);
    // A malformed event still goes out when the caller names the source: the receiver must refuse it.
    const malformed = await post('/deliver', { event: { hello: 'world' }, source: 'address-register' });
    expect(((await malformed.json()) as any).delivery.status).toBe(202);
    expect(receiver.received[2].body).toEqual({ hello: 'world' });
  });
});

describe('source events without a receiver', () => {
  it('records the event and says why it was not delivered', async () => {
    const sandbox = await startSandbox({ port: 0 });
    try {
      const res = await fetch(`${sandbox.url}/_sandbox/events/births`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
      const { delivery } = (await res.json()) as any;
      expect(delivery).toEqual({ status: null, attempts: 0, error: expect.stringContaining('SANDBOX_EVENTS_URL') });
    } finally {
      await sandbox.close();
    }
  });

  it('gives up on an unreachable receiver after its retries', async () => {
    const receiver = await startReceiver();
    await receiver.close();
    const sandbox = await startSandbox({ port: 0, eventsUrl: receiver.url, eventRetryDelaysMs: [5, 5] });
    try {
      const res = await fetch(`${sandbox.url}/_sandbox/events/births`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
      const { delivery } = (await res.json()) as any;
      expect(delivery).toMatchObject({ status: null, attempts: 3, error: expect.stringMatching(/ECONNREFUSED|fetch failed/) });
    } finally {
      await sandbox.close();
    }
  });
});

describe('source tokens from the dev issuer', () => {
  let sandbox: RunningSandbox;
  beforeAll(async () => {
    sandbox = await startSandbox({ port: 0 });
  });
  afterAll(() => sandbox.close());
  const token = (body: unknown) => fetch(`${sandbox.url}/oidc/dev-token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

  it('needs a known source for role source and puts it in the token', async () => {
    expect((await token({ role: 'source' })).status).toBe(400);
    const unknown = await token({ role: 'source', source: 'tax-register' });
    expect(unknown.status).toBe(400);
    expect(((await unknown.json()) as any).detail).toContain('national-register');
    const ok = (await (await token({ role: 'source', source: 'address-register' })).json()) as any;
    const { payload } = await jwtVerify(ok.access_token, createRemoteJWKSet(new URL(`${sandbox.url}/oidc/jwks`)));
    expect(payload).toMatchObject({ roles: ['source'], source: 'address-register', sub: 'source:address-register' });
  });
});
