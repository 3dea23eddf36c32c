// The client is tested against the real sandbox registers over HTTP (no fetch mocks).
// eslint-disable-next-line @nx/enforce-module-boundaries -- test only: the sandbox app plays the sources
import { startSandbox, type RunningSandbox } from '../../../../apps/sandbox/src/index';
import { readSourcesConfig } from '../config/sources-config';
import { SourceFieldError, SourceRequestError, SourceUnavailableError } from './errors';
import { createSourceClient, type ReadContext } from './source-client';

const context: ReadContext = { purpose: 'Groeipakket – recht op kinderbijslag', legalBasis: 'legal-obligation: Decreet Groeipakket, art. 8', requester: 'payment-agency/child-benefit', journeyId: 'j-1' };

describe('source client', () => {
  let sandbox: RunningSandbox;
  const clientWith = (env: Record<string, string> = {}) =>
    createSourceClient(readSourcesConfig({ SOURCES_URL: `${sandbox.url}/sources`, SOURCES_TOKEN: 'sandbox-sources-token', ...env }).config);
  const reads = async (source: string, subject: string) =>
    ((await (await fetch(`${sandbox.url}/_sandbox/source-reads?source=${source}&subject=${subject}`)).json()) as { reads: Array<Record<string, unknown>> }).reads;
  const behave = (source: string, behaviour: unknown) =>
    fetch(`${sandbox.url}/_sandbox/sources/${source}/behaviour`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(behaviour) });

  beforeAll(async () => {
    sandbox = await startSandbox({ port: 0 });
  });
  afterAll(() => sandbox.close());
  afterEach(async () => {
    await fetch(`${sandbox.url}/_sandbox/sources/behaviour`, { method: 'DELETE' });
  });

  it('reads only the requested fields, nested, and says which are missing', async () => {
    const nn = sandbox.population.examples().personWithoutContact;
    const person = sandbox.population.person(nn)!;
    const result = await clientWith().read('national-register', { type: 'person', id: nn }, ['birthDate', 'address.postalCode', 'contact.email', 'family.partner'], context);
    expect(result).toEqual({
      found: true,
      values: { birthDate: person.birthDate, address: { postalCode: sandbox.population.address(person.addressId)!.postalCode } },
      missing: ['contact.email', 'family.partner'],
    });
  });

  it('tells the source who reads, why and on what legal basis', async () => {
    const nn = sandbox.population.examples().flemishCouple.parents[1];
    await clientWith().read('national-register', { type: 'person', id: nn }, ['name.given'], context);
    expect(await reads('national-register', nn)).toEqual([
      expect.objectContaining({ fields: ['name.given'], purpose: context.purpose, legalBasis: context.legalBasis, requester: context.requester, journeyId: 'j-1', status: 200 }),
    ]);
  });

  it('reads the address register through the subject\'s address id, for persons and enterprises', async () => {
    const { flemishCouple, company } = sandbox.population.examples();
    const client = clientWith();
    const person = await client.read('address-register', { type: 'person', id: flemishCouple.parents[0] }, ['region', 'municipalityCode'], context);
    expect(person).toEqual({ found: true, values: { region: 'BE-VLG', municipalityCode: flemishCouple.address.municipalityCode }, missing: [] });
    expect(await reads('national-register', flemishCouple.parents[0])).toEqual([expect.objectContaining({ fields: ['address.id'] })]);
    expect(await reads('address-register', flemishCouple.address.id)).toHaveLength(1);

    const seat = sandbox.population.address(sandbox.population.enterprise(company.enterpriseNumber)!.seatAddressId)!;
    const enterprise = await client.read('address-register', { type: 'enterprise', id: company.enterpriseNumber }, ['fullAddress', 'position'], context);
    expect(enterprise.values).toEqual({ fullAddress: `${seat.street} ${seat.houseNumber}, ${seat.postalCode} ${seat.municipality}`, position: seat.position });
  });

  it('answers found: false with every field missing for a record the source does not hold', async () => {
    const client = clientWith();
    expect(await client.read('national-register', { type: 'person', id: '00010100197' }, ['birthDate', 'name.given'], context)).toEqual({ found: false, values: {}, missing: ['birthDate', 'name.given'] });
    expect(await client.read('address-register', { type: 'person', id: '00010100197' }, ['region'], context)).toEqual({ found: false, values: {}, missing: ['region'] });
  });

  it('refuses fields outside the catalog and subjects the source does not hold, before any request', async () => {
    const client = clientWith();
    const nn = sandbox.population.examples().personWithPhoneOnly;
    await expect(client.read('national-register', { type: 'person', id: nn }, ['birthDate', 'shoeSize'], context)).rejects.toThrow(SourceFieldError);
    await expect(client.read('national-register', { type: 'person', id: nn }, ['shoeSize'], context)).rejects.toThrow(/"shoeSize"/);
    await expect(client.read('enterprise-register', { type: 'person', id: nn }, ['name'], context)).rejects.toThrow(/not a person/);
    await expect(client.read('tax-register', { type: 'person', id: nn }, ['income'], context)).rejects.toThrow(SourceFieldError);
    expect(await reads('national-register', nn)).toEqual([]);
  });

  it('caches per subject, purpose and field until the subject is invalidated', async () => {
    const client = clientWith();
    const nn = sandbox.population.examples().brusselsCouple.parents[0];
    const subject = { type: 'person' as const, id: nn };
    const family = sandbox.population.person(nn)!.name.family;
    const first = await client.read('national-register', subject, ['name.family', 'birthDate'], context);
    const again = await client.read('national-register', subject, ['birthDate', 'name.family'], context);
    expect(again).toEqual(first);
    expect(await reads('national-register', nn)).toHaveLength(1);
    // Only the field not yet cached is fetched.
    await client.read('national-register', subject, ['birthDate', 'nationality'], context);
    expect((await reads('national-register', nn)).map((r) => r.fields)).toEqual([['name.family', 'birthDate'], ['nationality']]);
    // Another purpose is another read: data fetched for one purpose is not reused for another.
    await client.read('national-register', subject, ['birthDate'], { ...context, purpose: 'Inschrijving kinderopvang' });
    expect(await reads('national-register', nn)).toHaveLength(3);

    // The record changes at the source; after invalidate the client sees it.
    await fetch(`${sandbox.url}/_sandbox/events/persons/${nn}/correct`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: { family: 'Corrigé' } }) });
    expect((await client.read('national-register', subject, ['name.family'], context)).values).toEqual({ name: { family } });
    client.invalidate(subject);
    expect((await client.read('national-register', subject, ['name.family'], context)).values).toEqual({ name: { family: 'Corrigé' } });
  });

  it('does not cache when the TTL is 0', async () => {
    const client = clientWith({ SOURCES_CACHE_TTL_MS: '0' });
    const nn = sandbox.population.examples().singleParent.parents[0];
    await client.read('national-register', { type: 'person', id: nn }, ['birthDate'], context);
    await client.read('national-register', { type: 'person', id: nn }, ['birthDate'], context);
    expect(await reads('national-register', nn)).toHaveLength(2);
  });

  it('throws SourceUnavailableError for 5xx, 429, timeouts, refused connections and missing configuration', async () => {
    const nn = sandbox.population.examples().singleParent.children[0];
    const subject = { type: 'person' as const, id: nn };
    const client = clientWith({ SOURCES_CACHE_TTL_MS: '0', SOURCES_TIMEOUT_MS: '200' });
    for (const failWith of [503, 500, 429]) {
      await behave('national-register', { failWith, failTimes: 1 });
      const err = await client.read('national-register', subject, ['birthDate'], context).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(SourceUnavailableError);
      expect(err).toMatchObject({ name: 'SourceUnavailableError', status: failWith });
    }
    await behave('national-register', { latencyMs: 1000 });
    await expect(client.read('national-register', subject, ['birthDate'], context)).rejects.toThrow(/no answer within 200 ms/);

    const closed = createSourceClient(readSourcesConfig({ SOURCES_URL: 'http://127.0.0.1:1/sources', SOURCES_TOKEN: 't' }).config);
    await expect(closed.read('national-register', subject, ['birthDate'], context)).rejects.toThrow(SourceUnavailableError);

    const unconfigured = createSourceClient(readSourcesConfig({}).config);
    await expect(unconfigured.read('national-register', subject, ['birthDate'], context)).rejects.toThrow('source national-register is not configured: set SOURCES_URL');
  });

  it('throws SourceRequestError when the source refuses the request', async () => {
    const client = clientWith({ SOURCES_TOKEN: 'wrong' });
    const err = await client.read('national-register', { type: 'person', id: sandbox.population.examples().elderlyPerson }, ['birthDate'], context).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SourceRequestError);
    expect(err).toMatchObject({ status: 401, message: expect.stringContaining('SOURCES_TOKEN') });
    // A malformed subject id is refused by the source too.
    await expect(clientWith().read('national-register', { type: 'person', id: 'abc' }, ['birthDate'], context)).rejects.toMatchObject({ name: 'SourceRequestError', status: 400 });
  });

  it('uses a per-source URL and token over the hub', async () => {
    const nn = sandbox.population.examples().elderlyPerson;
    const client = createSourceClient(
      readSourcesConfig({
        SOURCES_URL: 'http://127.0.0.1:1/nowhere',
        SOURCES_TOKEN: 'wrong',
        SOURCE_NATIONAL_REGISTER_URL: `${sandbox.url}/sources/national-register`,
        SOURCE_NATIONAL_REGISTER_TOKEN: 'sandbox-sources-token',
      }).config,
    );
    expect((await client.read('national-register', { type: 'person', id: nn }, ['birthDate'], context)).found).toBe(true);
  });
});
