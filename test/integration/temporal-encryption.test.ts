/**
 * Personal data never in clear in Temporal (issue 14, part 1), on the gateway and a worker in
 * this process, the sandbox's registers and agencies, and the real Temporal server:
 * - a journey runs to its end with a register read (name, date of birth), a phone number the
 *   citizen types in a data task and an agency's answer; its raw history, read through the
 *   Temporal API without the codec, holds none of them (nor the national number, the subject
 *   search attribute being its keyed hash), and the same payloads read through the codec server
 *   show what travels through Temporal (the register's values never do: they stay in PostgreSQL);
 * - the codec server: refused without credentials or with another role, CORS for the Web UI's
 *   origin on /codec only, a round trip through the secret path and an auditor's token, bad input
 *   and undecryptable payloads as problem+json.
 */
import { randomUUID } from 'node:crypto';
import { temporal } from '@temporalio/proto';
import { journeyWorkflowId } from '@levensloop/contracts/workflow';
import { freePort } from '@levensloop/runtime';
import { connectClient, subjectSearchKey } from '@levensloop/temporal';
import type { Client } from '@temporalio/client';
import { startInProcessGateway, type InProcessGateway } from '../support/gateway';
import { expectProblem, type Api } from '../support/http';
import { pollUntil } from '../support/poll';
import { testTemporalConfig } from '../support/temporal';

jest.setTimeout(180_000);

const SECRET = 'codec-secret-for-the-web-ui-0123456789';
const UI_ORIGIN = 'http://127.0.0.1:8233';
const PHONE = '+32470123987';
const t = (en: string) => ({ nl: en, en });
const law = { type: 'law', reference: 'Decreet, art. 1' };
/** An auditor states why they decode (codec-disclosures.test.ts tests what is logged). */
const PURPOSE = { 'x-purpose': 'encryption test' };

let gateway: InProcessGateway;
let client: Client;
let admin: Api, caseworker: Api, citizen: Api, auditor: Api;

beforeAll(async () => {
  const sandboxPort = await freePort();
  gateway = await startInProcessGateway(
    'temporal-encryption',
    { AGENCY_ALLOWED_INTERNAL_HOSTS: `127.0.0.1:${sandboxPort}`, TEMPORAL_CODEC_SERVER_SECRET: SECRET, TEMPORAL_UI_ORIGINS: UI_ORIGIN },
    { port: sandboxPort },
  );
  client = await connectClient(testTemporalConfig());
  [admin, caseworker, auditor] = await Promise.all([
    gateway.as({ role: 'catalog-admin', sub: 'admin' }),
    gateway.as({ role: 'caseworker', agency: 'municipality', sub: 'cw-1' }),
    gateway.as({ role: 'auditor', sub: 'auditor-1' }),
  ]);
});

afterAll(async () => {
  await client?.connection.close();
  await gateway?.close();
});

/**
 * Every payload (a message with `data` and `metadata`) anywhere in a history, but those of search
 * attributes: visibility indexes them, so they are never encoded (hence the subject's hash).
 */
function payloadsIn(node: unknown, found: Array<temporal.api.common.v1.IPayload & { path: string }> = [], path = ''): Array<temporal.api.common.v1.IPayload & { path: string }> {
  if (!node || typeof node !== 'object' || ArrayBuffer.isView(node)) return found;
  const record = node as Record<string, unknown>;
  if (ArrayBuffer.isView(record.data) && record.metadata && typeof record.metadata === 'object') found.push({ ...(record as temporal.api.common.v1.IPayload), path });
  else for (const [key, value] of Object.entries(record)) if (key !== 'searchAttributes') payloadsIn(value, found, `${path}/${key}`);
  return found;
}

async function rawHistory(workflowId: string): Promise<temporal.api.history.v1.IHistoryEvent[]> {
  const events: temporal.api.history.v1.IHistoryEvent[] = [];
  let nextPageToken: Uint8Array | undefined;
  do {
    // The workflow service as it is: no data converter, no codec between the server and this test.
    const page = await client.workflowService.getWorkflowExecutionHistory({ namespace: 'default', execution: { workflowId }, nextPageToken });
    events.push(...(page.history?.events ?? []));
    nextPageToken = page.nextPageToken?.length ? page.nextPageToken : undefined;
  } while (nextPageToken);
  return events;
}

test('a finished journey leaves no personal data in clear in Temporal; the codec server shows it to an auditor', async () => {
  const examples = (await (await fetch(`${gateway.sandbox.url}/_sandbox/population/examples`)).json()) as { personWithoutContact: string };
  const nationalNumber = examples.personWithoutContact;
  const person = gateway.sandbox.population.person(nationalNumber)!;
  citizen = await gateway.as({ role: 'citizen', nationalNumber, sub: 'citizen-enc' });

  // A caseworker step that reads the name from the register and asks the citizen's phone (the
  // register has none for this person), then an agency's automatic step that gets the birth date.
  const sandboxHost = new URL(gateway.sandbox.url).host;
  expect((await admin.post('/agencies', { code: 'municipality', names: t('municipality'), endpointHosts: [sandboxHost] })).status).toBe(201);
  const review = [
    { source: 'national-register', field: 'name.given', purpose: t('To address you'), legalBasis: law },
    { source: 'national-register', field: 'name.family', purpose: t('To address you'), legalBasis: law },
    { source: 'national-register', field: 'contact.phone', purpose: t('To call you'), legalBasis: { type: 'consent', reference: 'Consent' } },
  ];
  expect((await admin.post('/agencies/municipality/steps', { key: 'review', kind: 'caseworker', titles: t('Review'), serviceNorm: { target: 'P10D' }, dataRequirements: review })).status).toBe(201);
  expect((await admin.post('/agencies/municipality/steps/review/versions/1/publish')).status).toBe(200);
  const register = {
    key: 'register', kind: 'automatic', titles: t('Register'), serviceNorm: { target: 'P1D' },
    endpoint: `${gateway.sandbox.url}/agencies/municipality/register`,
    outputs: [{ name: 'reference', type: 'string' }],
    retry: { maximumAttempts: 3, initialInterval: 'PT0.2S', backoffCoefficient: 1, maximumInterval: 'PT1S' },
    dataRequirements: [{ source: 'national-register', field: 'birthDate', purpose: t('To check the age'), legalBasis: law }],
  };
  const drafted = await admin.post('/agencies/municipality/steps', register);
  expect({ status: drafted.status, body: drafted.body }).toMatchObject({ status: 201 });
  expect((await admin.post('/agencies/municipality/steps/register/versions/1/publish')).status).toBe(200);
  const lifeEvent = {
    key: 'enc', audience: 'citizen', titles: t('Encrypted'),
    nodes: [
      { key: 'review', step: { agency: 'municipality', key: 'review', version: 1 } },
      { key: 'register', step: { agency: 'municipality', key: 'register', version: 1 }, dependsOn: ['review'] },
    ],
  };
  expect((await admin.post('/life-events', lifeEvent)).status).toBe(201);
  expect((await admin.post('/life-events/enc/versions/1/publish')).status).toBe(200);

  // The agency fails once: the retried call's last failure is kept in the history, its message encoded.
  const behaviour = await fetch(`${gateway.sandbox.url}/_sandbox/behaviour/municipality/register`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ failTimes: 1 }) });
  expect(behaviour.ok).toBe(true);
  const started = await citizen.post('/journeys', { lifeEvent: { key: 'enc' }, subject: { type: 'person', id: nationalNumber } }, { 'idempotency-key': `enc-${randomUUID()}` });
  expect(started.status).toBe(201);
  const journeyId = started.body.id as string;
  const openTask = (purpose: string) =>
    pollUntil(`the ${purpose} task`, async () => (await gateway.ds.query(`SELECT id FROM tasks WHERE journey_id = $1 AND purpose = $2 AND status = 'open'`, [journeyId, purpose]))[0]?.id as string | undefined);
  expect((await citizen.post(`/tasks/${await openTask('consent')}/complete`, { consents: { 'national-register/contact.phone': true } })).status).toBe(200);
  expect((await citizen.post(`/tasks/${await openTask('data')}/complete`, { values: { 'national-register/contact.phone': PHONE } })).status).toBe(200);
  const task = await openTask('task');
  expect((await caseworker.post(`/tasks/${task}/claim`)).status).toBe(200);
  expect((await caseworker.post(`/tasks/${task}/complete`, { outcome: 'approve', comment: 'Looks fine' })).status).toBe(200);
  const done = await pollUntil('the journey to complete', async () => {
    const res = await citizen.get(`/journeys/${journeyId}`);
    return res.body.status === 'completed' ? res.body : undefined;
  }, { timeoutMs: 60_000 });
  const reference = (done.steps as Array<{ key: string; outcome?: { data?: { reference?: string } } }>).find((s) => s.key === 'register')?.outcome?.data?.reference;
  expect(reference).toMatch(/^[A-Z]+-[0-9A-F]{10}$/);

  const events = await rawHistory(journeyWorkflowId(journeyId));
  const raw = Buffer.from(temporal.api.history.v1.History.encode({ events }).finish());
  const secrets = { 'national number': nationalNumber, 'given name': person.name.given, 'family name': person.name.family, 'typed phone number': PHONE, 'register birth date': person.birthDate, 'agency reference': reference! };
  const inClear = (bytes: Buffer) => Object.entries(secrets).filter(([, value]) => bytes.includes(value)).map(([what]) => what);
  // What the history holds, and where a search would find each value.
  const payloads = payloadsIn(events);
  const encodings = [...new Set(payloads.map((p) => Buffer.from(p.metadata?.encoding ?? []).toString()))].sort();
  console.log(`raw history of journey ${journeyId}: ${events.length} events, ${raw.length} bytes, ${payloads.length} payloads (encodings: ${encodings.join(', ')}); searched for ${Object.keys(secrets).join(', ')}: found in clear: ${inClear(raw).join(', ') || 'none'}`);
  expect(inClear(raw)).toEqual([]);
  // Every payload is encrypted but the SDK's own bookkeeping in markers (a local activity's
  // sequence number, type and times; a patch's id), which core writes without the data converter,
  // and the trace context in headers (the SDK does not pass headers through the codec): W3C trace
  // ids at most, checked below.
  const unencrypted = payloads.filter((p) => Buffer.from(p.metadata?.encoding ?? []).toString() !== 'binary/encrypted');
  const tracerData = unencrypted.filter((p) => p.path.endsWith('/header/fields/_tracer-data'));
  const bookkeeping = unencrypted.filter((p) => !tracerData.includes(p));
  expect(bookkeeping.map((p) => p.path.replace(/^\/\d+/, '').replace(/\d+$/, 'n'))).toEqual(bookkeeping.map((p) => (p.path.includes('patch-data') ? '/markerRecordedEventAttributes/details/patch-data/payloads/n' : '/markerRecordedEventAttributes/details/data/payloads/n')));
  for (const header of tracerData) {
    const { traceparent, tracestate, ...other } = JSON.parse(Buffer.from(header.data ?? []).toString()) as Record<string, unknown>;
    expect(other).toEqual({});
    // Empty when the start was not traced; otherwise a W3C trace id and span id.
    expect({ traceparent, tracestate }).toEqual({ traceparent: traceparent === undefined ? undefined : expect.stringMatching(/^00-[0-9a-f]{32}-[0-9a-f]{16}-0[01]$/), tracestate: tracestate === undefined ? undefined : expect.any(String) });
  }
  expect(payloads.filter((p) => p.path.includes('/details/result/')).length).toBeGreaterThan(3);
  expect(payloads.length - unencrypted.length).toBeGreaterThan(20);
  const failures = events.flatMap((e) => (e.activityTaskStartedEventAttributes?.lastFailure ? [e.activityTaskStartedEventAttributes.lastFailure] : []));
  expect(failures.map((f) => ({ message: f.message, encoded: Buffer.from(f.encodedAttributes?.metadata?.encoding ?? []).toString() }))).toEqual([{ message: 'Encoded failure', encoded: 'binary/encrypted' }]);
  console.log(`${payloads.length - unencrypted.length} payloads binary/encrypted; json/plain only the SDK's marker bookkeeping (${unencrypted.length}: local activities' sequence, type and times, patch ids)`);
  // The subject search attribute is the keyed hash of the number.
  const attributes = (await client.workflow.getHandle(journeyWorkflowId(journeyId)).describe()).searchAttributes;
  expect(attributes.LevensloopSubject).toEqual([subjectSearchKey({ type: 'person', id: nationalNumber }, testTemporalConfig().subjectHashKey)]);

  // The same payloads through the codec server, as the Web UI reads them: every value is there.
  const json = { payloads: payloads.map((p: temporal.api.common.v1.IPayload) => ({ metadata: Object.fromEntries(Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v).toString('base64')])), data: Buffer.from(p.data ?? []).toString('base64') })) };
  const decoded = await auditor.post('/codec/decode', json, PURPOSE);
  expect(decoded.status).toBe(200);
  const clear = Buffer.concat((decoded.body.payloads as Array<{ data: string }>).map((p) => Buffer.from(p.data, 'base64')));
  console.log(`the same ${payloads.length} payloads through /codec/decode: found in clear: ${inClear(clear).join(', ')}`);
  // What travels through Temporal is there; what the register answered never enters it (the step's
  // data stays in PostgreSQL, the workflow learns only which fields were filled).
  expect(inClear(clear).sort()).toEqual(['agency reference', 'national number', 'typed phone number']);
});

describe('the codec server', () => {
  const payload = { metadata: { encoding: Buffer.from('json/plain').toString('base64') }, data: Buffer.from(JSON.stringify({ iban: 'BE71096123456769' })).toString('base64') };
  const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${gateway.baseUrl}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });

  test('refuses callers without credentials, with another role, or with another secret', async () => {
    for (const res of [await post('/codec/decode', { payloads: [payload] }), await post('/codec/not-the-secret-but-just-as-long-0123/decode', { payloads: [payload] })]) {
      expect(res.status).toBe(401);
      expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    }
    expect((await caseworker.post('/codec/decode', { payloads: [payload] })).status).toBe(403);
  });

  test('answers the Web UI origin\'s preflight on /codec only', async () => {
    const preflight = (path: string) => fetch(`${gateway.baseUrl}${path}`, { method: 'OPTIONS', headers: { origin: UI_ORIGIN, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type,x-namespace' } });
    const codec = await preflight(`/codec/${SECRET}/decode`);
    expect(codec.status).toBe(204);
    expect(codec.headers.get('access-control-allow-origin')).toBe(UI_ORIGIN);
    expect(codec.headers.get('access-control-allow-headers')?.toLowerCase()).toContain('x-namespace');
    expect(codec.headers.get('access-control-allow-credentials')).toBe('true');
    expect((await preflight('/journeys')).headers.get('access-control-allow-origin')).toBeNull();
  });

  test('encrypts through the secret path and decrypts with an auditor\'s token; bad input is a problem', async () => {
    const encoded = await post(`/codec/${SECRET}/encode`, { payloads: [payload] }, { origin: UI_ORIGIN, 'x-namespace': 'default' });
    expect(encoded.status).toBe(200);
    expect(encoded.headers.get('access-control-allow-origin')).toBe(UI_ORIGIN);
    const body = (await encoded.json()) as { payloads: Array<{ metadata: Record<string, string>; data: string }> };
    expect(Buffer.from(body.payloads[0].metadata.encoding, 'base64').toString()).toBe('binary/encrypted');
    expect(Buffer.from(body.payloads[0].data, 'base64').includes('BE71096123456769')).toBe(false);
    const decoded = await auditor.post('/codec/decode', body, PURPOSE);
    expect(decoded.status).toBe(200);
    expect(decoded.body).toEqual({ payloads: [payload] });

    expect(expectProblem(await auditor.post('/codec/decode', { payloads: [{ data: 'not base64!' }] }, PURPOSE), 400).detail).toBe('The payloads cannot be decoded: payloads[0].data must be a base64 string.');
    expectProblem(await auditor.post('/codec/encode', { nothing: true }), 400);
    const tampered = { payloads: [{ ...body.payloads[0], data: Buffer.from(Buffer.from(body.payloads[0].data, 'base64').map((b, i) => (i === 20 ? b ^ 1 : b))).toString('base64') }] };
    expect(expectProblem(await auditor.post('/codec/decode', tampered, PURPOSE), 422).detail).toMatch(/does not decrypt: it was altered/);
  });
});
