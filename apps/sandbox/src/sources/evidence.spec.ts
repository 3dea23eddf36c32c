import { EvidenceClient, EvidenceNotHeldError, SourceFieldError, SourceUnavailableError } from '@levensloop/sources';
import { startSandbox, type RunningSandbox } from '../app';
import { whyNoExtract } from './evidence.routes';

const TOKEN = 'sandbox-sources-token';
const context = { purpose: 'Nagaan of u de vergunning mag krijgen', legalBasis: 'law: Wet van 28 december 1983, art. 2', requester: 'municipality/apply-alcohol-permit', journeyId: 'j-1' };

describe('the Central Criminal Record as an evidence provider', () => {
  let sandbox: RunningSandbox;
  let client: EvidenceClient;
  beforeAll(async () => {
    sandbox = await startSandbox({ port: 0 });
    client = new EvidenceClient({ endpoints: { 'criminal-record': { url: `${sandbox.url}/sources/criminal-record`, token: TOKEN } }, timeoutMs: 5000, cacheTtlMs: 0 });
  });
  afterAll(() => sandbox.close());
  afterEach(async () => {
    await fetch(`${sandbox.url}/_sandbox/sources/behaviour`, { method: 'DELETE' });
  });
  const examples = async () => (await (await fetch(`${sandbox.url}/_sandbox/population/examples`)).json()) as { soleTrader: { nationalNumber: string } };

  it('delivers an adult’s extract as a PDF, and logs who asked and why', async () => {
    const nn = (await examples()).soleTrader.nationalNumber;
    const got = await client.fetch('criminal-record', 'certificate-of-good-conduct', { type: 'person', id: nn }, context, 1_000_000);
    expect(got.declaredType).toBe('application/pdf');
    expect(got.fileName).toBe('uittreksel-strafregister.pdf');
    expect(got.content.subarray(0, 5).toString()).toBe('%PDF-');
    const reads = (await (await fetch(`${sandbox.url}/_sandbox/source-reads?source=criminal-record&subject=${nn}`)).json()) as { reads: unknown[] };
    expect(reads.reads).toEqual([expect.objectContaining({ fields: ['certificate-of-good-conduct'], purpose: context.purpose, legalBasis: context.legalBasis, requester: context.requester, journeyId: 'j-1', status: 200 })]);
  });

  it('answers "no evidence" for a person it does not know, and for a minor', async () => {
    await expect(client.fetch('criminal-record', 'certificate-of-good-conduct', { type: 'person', id: '90010100123' }, context, 1_000_000)).rejects.toThrow(EvidenceNotHeldError);
    expect(whyNoExtract(undefined)).toMatch(/not registered/);
    const child = { nationalNumber: '20010100123', name: { given: 'A', family: 'B' }, sex: 'F', birthDate: '2020-01-01', nationality: 'BE', preferredLanguage: 'nl', addressId: 'x', parents: [], children: [], contact: {} } as const;
    expect(whyNoExtract({ ...child, parents: [], children: [] }, '2026-12-07')).toMatch(/adults only/);
    expect(whyNoExtract({ ...child, parents: [], children: [], birthDate: '2008-12-07' }, '2026-12-07')).toBeUndefined();
  });

  it('keeps the client’s guards: known sources and types only, the answer capped, a source that is down is unavailable', async () => {
    const nn = (await examples()).soleTrader.nationalNumber;
    await expect(client.fetch('criminal-record', 'diploma', { type: 'person', id: nn }, context, 1_000_000)).rejects.toThrow(SourceFieldError);
    await expect(client.fetch('national-register', 'certificate-of-good-conduct', { type: 'person', id: nn }, context, 1_000_000)).rejects.toThrow(SourceFieldError);
    await expect(client.fetch('criminal-record', 'certificate-of-good-conduct', { type: 'enterprise', id: '0123456789' }, context, 1_000_000)).rejects.toThrow(SourceFieldError);
    await expect(client.fetch('criminal-record', 'certificate-of-good-conduct', { type: 'person', id: nn }, context, 100)).rejects.toThrow(/at most 100|over 100/);
    await fetch(`${sandbox.url}/_sandbox/sources/criminal-record/behaviour`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ failWith: 503 }) });
    await expect(client.fetch('criminal-record', 'certificate-of-good-conduct', { type: 'person', id: nn }, context, 1_000_000)).rejects.toThrow(SourceUnavailableError);
  });

  it('refuses a request without the token or without a purpose', async () => {
    const nn = (await examples()).soleTrader.nationalNumber;
    const url = `${sandbox.url}/sources/criminal-record/persons/${nn}/evidence/certificate-of-good-conduct`;
    expect((await fetch(url)).status).toBe(401);
    expect((await fetch(url, { headers: { authorization: `Bearer ${TOKEN}` } })).status).toBe(400);
  });
});
