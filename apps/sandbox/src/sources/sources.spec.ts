import { startSandbox, type RunningSandbox } from '../app';

const TOKEN = 'sandbox-sources-token';

describe('source registers', () => {
  let sandbox: RunningSandbox;
  beforeAll(async () => {
    sandbox = await startSandbox({ port: 0 });
  });
  afterAll(() => sandbox.close());
  afterEach(async () => {
    await fetch(`${sandbox.url}/_sandbox/sources/behaviour`, { method: 'DELETE' });
  });

  const read = (path: string, init: { token?: string | null; purpose?: string | null; headers?: Record<string, string> } = {}) => {
    const headers: Record<string, string> = { ...init.headers };
    if (init.token !== null) headers.authorization = `Bearer ${init.token ?? TOKEN}`;
    if (init.purpose !== null) {
      headers['x-purpose'] = encodeURIComponent(init.purpose ?? 'Groeipakket: recht op kinderbijslag');
      headers['x-legal-basis'] = encodeURIComponent('legal-obligation: Decreet Groeipakket, art. 8');
      headers['x-requester'] = 'payment-agency/child-benefit';
    }
    return fetch(`${sandbox.url}/sources/${path}`, { headers });
  };
  const examples = async () => (await (await fetch(`${sandbox.url}/_sandbox/population/examples`)).json()) as any;

  it('answers only the requested fields of a person, nested by path', async () => {
    const { flemishCouple } = await examples();
    const nn = flemishCouple.parents[0];
    const res = await read(`national-register/persons/${nn}?fields=address.postalCode,birthDate,family.householdSize`);
    expect(res.status).toBe(200);
    const full = (await (await fetch(`${sandbox.url}/_sandbox/population/persons/${nn}`)).json()) as any;
    expect(await res.json()).toEqual({
      record: { address: { postalCode: flemishCouple.address.postalCode }, birthDate: full.birthDate, family: { householdSize: full.household.length } },
    });
  });

  it('leaves out fields the record does not hold', async () => {
    const { personWithoutContact } = await examples();
    const res = await read(`national-register/persons/${personWithoutContact}?fields=contact.email,contact.phone,name.given`);
    const body = (await res.json()) as any;
    expect(Object.keys(body.record)).toEqual(['name']);
  });

  it('serves enterprises (dots allowed) and addresses', async () => {
    const { soleTrader, flemishCouple } = await examples();
    const dotted = `${soleTrader.enterpriseNumber.slice(0, 4)}.${soleTrader.enterpriseNumber.slice(4, 7)}.${soleTrader.enterpriseNumber.slice(7)}`;
    const enterprise = (await (await read(`enterprise-register/enterprises/${dotted}?fields=legalForm,representatives,seatAddress.id`)).json()) as any;
    expect(enterprise.record.legalForm).toBe('sole-trader');
    expect(enterprise.record.representatives).toEqual([{ nationalNumber: soleTrader.nationalNumber, role: 'owner' }]);
    expect(enterprise.record.seatAddress.id).toMatch(/^\d+$/);

    const address = (await (await read(`address-register/addresses/${flemishCouple.address.id}?fields=region,municipalityCode,fullAddress`)).json()) as any;
    expect(address.record).toEqual({ region: 'BE-VLG', municipalityCode: flemishCouple.address.municipalityCode, fullAddress: expect.stringContaining(`${flemishCouple.address.postalCode} `) });
  });

  it('refuses a missing or wrong token with 401', async () => {
    const { flemishCouple } = await examples();
    for (const token of [null, 'wrong']) {
      const res = await read(`national-register/persons/${flemishCouple.parents[0]}?fields=birthDate`, { token });
      expect(res.status).toBe(401);
      expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/);
    }
  });

  it('refuses unknown fields, a missing field list and a missing purpose with 400 naming the problem', async () => {
    const { flemishCouple } = await examples();
    const nn = flemishCouple.parents[0];
    const unknown = await read(`national-register/persons/${nn}?fields=birthDate,shoeSize`);
    expect(unknown.status).toBe(400);
    const body = (await unknown.json()) as any;
    expect(body.unknownFields).toEqual(['shoeSize']);
    expect(body.detail).toContain('"shoeSize"');
    // A field of another source is unknown here too.
    expect((await read(`national-register/persons/${nn}?fields=legalForm`)).status).toBe(400);
    expect((await read(`national-register/persons/${nn}`)).status).toBe(400);
    const noPurpose = await read(`national-register/persons/${nn}?fields=birthDate`, { purpose: null });
    expect(noPurpose.status).toBe(400);
    expect(((await noPurpose.json()) as any).detail).toMatch(/X-Purpose/);
    expect((await read(`national-register/persons/123?fields=birthDate`)).status).toBe(400);
  });

  it('answers 404 for a record it does not hold', async () => {
    const res = await read('national-register/persons/00010100197?fields=birthDate');
    expect(res.status).toBe(404);
    expect(((await res.json()) as any).type).toMatch(/record-not-found$/);
  });

  it('logs every read with who asked and why, filtered by source and subject', async () => {
    const { brusselsCouple } = await examples();
    const nn = brusselsCouple.parents[1];
    await read(`national-register/persons/${nn}?fields=name.given`, { purpose: 'Kinderbijslag – recht nagaan' });
    const reads = ((await (await fetch(`${sandbox.url}/_sandbox/source-reads?source=national-register&subject=${nn}`)).json()) as any).reads;
    expect(reads).toEqual([
      expect.objectContaining({ source: 'national-register', subject: nn, fields: ['name.given'], purpose: 'Kinderbijslag – recht nagaan', requester: 'payment-agency/child-benefit', status: 200 }),
    ]);
    const other = ((await (await fetch(`${sandbox.url}/_sandbox/source-reads?source=enterprise-register&subject=${nn}`)).json()) as any).reads;
    expect(other).toEqual([]);
  });

  it('fails n times with the injected status, then recovers', async () => {
    const { flemishCouple } = await examples();
    const put = await fetch(`${sandbox.url}/_sandbox/sources/national-register/behaviour`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ failWith: 429, failTimes: 2 }),
    });
    expect(await put.json()).toEqual({ source: 'national-register', failWith: 429, failTimes: 2 });
    const path = `national-register/persons/${flemishCouple.parents[0]}?fields=birthDate`;
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await read(path)).status);
    expect(statuses).toEqual([429, 429, 200]);
    // Other sources are not affected.
    expect((await read(`address-register/addresses/${flemishCouple.address.id}?fields=region`)).status).toBe(200);
  });

  it('fails until the behaviour is deleted, and can be slow', async () => {
    const { flemishCouple } = await examples();
    const path = `address-register/addresses/${flemishCouple.address.id}?fields=region`;
    const put = (body: unknown) => fetch(`${sandbox.url}/_sandbox/sources/address-register/behaviour`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    await put({ failWith: 503 });
    expect((await read(path)).status).toBe(503);
    expect((await read(path)).status).toBe(503);
    expect((await fetch(`${sandbox.url}/_sandbox/sources/address-register/behaviour`, { method: 'DELETE' })).status).toBe(204);
    expect((await read(path)).status).toBe(200);

    await put({ latencyMs: 300 });
    const started = Date.now();
    expect((await read(path)).status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(280);
  });

  it('refuses bad behaviour and unknown sources', async () => {
    const bad = await fetch(`${sandbox.url}/_sandbox/sources/national-register/behaviour`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ failWith: 404, latency: 5 }) });
    expect(bad.status).toBe(400);
    const errors = ((await bad.json()) as any).errors;
    expect(errors).toEqual([expect.stringContaining('"latency"'), expect.stringContaining('failWith')]);
    const unknown = await fetch(`${sandbox.url}/_sandbox/sources/tax-register/behaviour`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(unknown.status).toBe(404);
  });

  it('accepts its own token only: another configured token refuses the default', async () => {
    const other = await startSandbox({ port: 0, sourcesToken: 'other-token' });
    try {
      const { elderlyPerson } = (await (await fetch(`${other.url}/_sandbox/population/examples`)).json()) as any;
      const headers = { 'x-purpose': 'p', 'x-legal-basis': 'b' };
      const url = `${other.url}/sources/national-register/persons/${elderlyPerson}?fields=birthDate`;
      expect((await fetch(url, { headers: { ...headers, authorization: `Bearer ${TOKEN}` } })).status).toBe(401);
      expect((await fetch(url, { headers: { ...headers, authorization: 'Bearer other-token' } })).status).toBe(200);
    } finally {
      await other.close();
    }
  });
});

describe('population routes', () => {
  let sandbox: RunningSandbox;
  beforeAll(async () => {
    sandbox = await startSandbox({ port: 0, populationSeed: 'another-seed' });
  });
  afterAll(() => sandbox.close());

  it('follows the configured seed', async () => {
    const examples = (await (await fetch(`${sandbox.url}/_sandbox/population/examples`)).json()) as any;
    expect(examples.flemishCouple.parents).toEqual(sandbox.population.examples().flemishCouple.parents);
    const summary = (await (await fetch(`${sandbox.url}/_sandbox/population`)).json()) as any;
    expect(summary).toMatchObject({ seed: 'another-seed', enterprises: 1500 });
  });

  it('answers a full person record, 404 for unknown and 400 for malformed numbers', async () => {
    const { flemishCouple } = sandbox.population.examples();
    const person = (await (await fetch(`${sandbox.url}/_sandbox/population/persons/${flemishCouple.parents[0]}`)).json()) as any;
    expect(person).toMatchObject({ nationalNumber: flemishCouple.parents[0], address: { id: flemishCouple.address.id }, partner: flemishCouple.parents[1] });
    expect((await fetch(`${sandbox.url}/_sandbox/population/persons/00010100197`)).status).toBe(404);
    expect((await fetch(`${sandbox.url}/_sandbox/population/persons/abc`)).status).toBe(400);
  });
});
