/**
 * Every decode by the codec server is logged (issue 14, part 1), on the gateway and a worker in
 * this process and the real Temporal server and PostgreSQL:
 * - an auditor decodes a running journey's real history with a purpose: one audit row (who, the
 *   namespace, the purpose, payloads, encrypted and decrypted, key ids, the journey) and one row in
 *   the citizen's data-access log, which the citizen reads at /me/data-access; neither holds a
 *   value of the payloads;
 * - without a purpose the token path answers 400 and audits the refusal; a payload that does not
 *   decrypt is a 422, audited, with nothing in any citizen's log;
 * - a journey named without its subject is attributed through the read model, one the read model
 *   does not know is named in the audit row only, a subject outside any journey gets a row alone;
 * - the development Web UI's secret path is recorded as `temporal-ui` with its standing purpose;
 * - Temporal's CLI (`temporal workflow show --codec-endpoint … --codec-auth … --codec-header
 *   X-Purpose=…`) sends the purpose and the namespace.
 */
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { defaultPayloadConverter } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import type { Client } from '@temporalio/client';
import { journeyWorkflowId } from '@levensloop/contracts/workflow';
import { resolveTemporalCli } from '@levensloop/runtime';
import { verifyLogChains } from '@levensloop/persistence';
import { connectClient, payloadCodec, toJsonPayload, type JsonPayload } from '@levensloop/temporal';
import { startInProcessGateway, type InProcessGateway } from '../support/gateway';
import { expectProblem, type Api } from '../support/http';
import { pollUntil } from '../support/poll';
import { testTemporalConfig } from '../support/temporal';

jest.setTimeout(180_000);

const SECRET = 'codec-secret-for-the-web-ui-disclosures-0123';
const PURPOSE = 'complaint 2026-114 about a late decision';
const t = (en: string) => ({ nl: en, en });

let gateway: InProcessGateway;
let client: Client;
let auditor: Api, citizen: Api;
let journeyId: string;
let nationalNumber: string;
/** The journey's history as Temporal's Web UI sends it to the codec server. */
let historyPayloads: JsonPayload[];

async function rawPayloads(workflowId: string): Promise<JsonPayload[]> {
  const found: JsonPayload[] = [];
  const walk = (node: unknown) => {
    if (!node || typeof node !== 'object' || ArrayBuffer.isView(node)) return;
    const record = node as Record<string, unknown>;
    if (ArrayBuffer.isView(record.data) && record.metadata && typeof record.metadata === 'object') found.push(toJsonPayload(record as temporal.api.common.v1.IPayload));
    else for (const [key, value] of Object.entries(record)) if (key !== 'searchAttributes' && key !== 'header') walk(value);
  };
  const page = await client.workflowService.getWorkflowExecutionHistory({ namespace: testTemporalConfig().namespace, execution: { workflowId } });
  walk(page.history?.events ?? []);
  return found;
}

const lastAudit = async () => (await gateway.ds.query(`SELECT * FROM audit_log WHERE action = 'codec.decode' ORDER BY id DESC LIMIT 1`))[0];
const auditCount = async () => Number((await gateway.ds.query(`SELECT count(*) AS n FROM audit_log WHERE action = 'codec.decode'`))[0].n);
const accessRows = async () => gateway.ds.query(`SELECT * FROM data_access_log WHERE source = 'temporal-history' ORDER BY id`);
/** Every string value of the decoded payloads long enough to mean something (the journey id aside, which the logs name on purpose). */
function valuesIn(payloads: JsonPayload[]): string[] {
  const values = new Set<string>();
  const walk = (node: unknown) => {
    if (typeof node === 'string' && node.length >= 6 && node !== journeyId) values.add(node);
    else if (node && typeof node === 'object') for (const v of Object.values(node)) walk(v);
  };
  for (const p of payloads) {
    if (Buffer.from(p.metadata?.encoding ?? '', 'base64').toString() !== 'json/plain') continue;
    walk(JSON.parse(Buffer.from(p.data ?? '', 'base64').toString()));
  }
  return [...values];
}

beforeAll(async () => {
  gateway = await startInProcessGateway('codec-disclosures', { TEMPORAL_CODEC_SERVER_SECRET: SECRET });
  client = await connectClient(testTemporalConfig());
  const admin = await gateway.as({ role: 'catalog-admin', sub: 'admin' });
  auditor = await gateway.as({ role: 'auditor', sub: 'auditor-1' });
  nationalNumber = ((await (await fetch(`${gateway.sandbox.url}/_sandbox/population/examples`)).json()) as { personWithoutContact: string }).personWithoutContact;
  citizen = await gateway.as({ role: 'citizen', nationalNumber, sub: 'citizen-codec' });

  // A journey that waits for its citizen: its history holds the start input (journey id and subject).
  expect((await admin.post('/agencies', { code: 'municipality', names: t('municipality') })).status).toBe(201);
  expect((await admin.post('/agencies/municipality/steps', { key: 'apply', kind: 'citizen', titles: t('Apply'), serviceNorm: { target: 'P10D' } })).status).toBe(201);
  expect((await admin.post('/agencies/municipality/steps/apply/versions/1/publish')).status).toBe(200);
  expect((await admin.post('/life-events', { key: 'codec', audience: 'citizen', titles: t('Codec'), nodes: [{ key: 'apply', step: { agency: 'municipality', key: 'apply', version: 1 } }] })).status).toBe(201);
  expect((await admin.post('/life-events/codec/versions/1/publish')).status).toBe(200);
  const started = await citizen.post('/journeys', { lifeEvent: { key: 'codec' }, subject: { type: 'person', id: nationalNumber } }, { 'idempotency-key': `codec-${randomUUID()}` });
  expect(started.status).toBe(201);
  journeyId = started.body.id;
  await pollUntil('the journey in the read model', async () => (await gateway.ds.query(`SELECT 1 FROM journeys WHERE id = $1`, [journeyId])).length > 0 || undefined);
  historyPayloads = await rawPayloads(journeyWorkflowId(journeyId));
});

afterAll(async () => {
  await client?.connection.close();
  await gateway?.close();
});

test("an auditor's decode is audited, and the citizen reads in their log that an auditor read their journey's history", async () => {
  const encrypted = historyPayloads.filter((p) => Buffer.from(p.metadata?.encoding ?? '', 'base64').toString() === 'binary/encrypted').length;
  expect(encrypted).toBeGreaterThan(0);
  const before = (await accessRows()).length;
  const decodedAt = new Date().toISOString().slice(0, 13);
  const decoded = await auditor.post('/codec/decode', { payloads: historyPayloads }, { 'x-purpose': PURPOSE, 'x-namespace': 'default' });
  expect(decoded.status).toBe(200);
  expect(Buffer.concat(decoded.body.payloads.map((p: JsonPayload) => Buffer.from(p.data ?? '', 'base64'))).includes(nationalNumber)).toBe(true);

  const audit = await lastAudit();
  expect(audit).toMatchObject({ actor: 'auditor-1', action: 'codec.decode', target_type: 'temporal-namespace', target_id: 'default' });
  expect(audit.detail).toEqual({
    via: 'token',
    namespace: 'default',
    purpose: PURPOSE,
    outcome: 'decoded',
    status: 200,
    payloads: historyPayloads.length,
    encrypted,
    decrypted: encrypted,
    keyIds: [testTemporalConfig().codecKeys[0].id],
    journeys: [journeyId],
    subjectsOutsideJourneys: 0,
    accessLogRows: 1,
    unattributedJourneys: [],
  });
  const rows = (await accessRows()).slice(before);
  expect(rows.map((r: any) => [r.actor, r.actor_kind, r.subject_type, r.subject_id, r.journey_id, r.source, r.fields, r.outcome])).toEqual([
    ['auditor-1', 'auditor', 'person', nationalNumber, journeyId, 'temporal-history', [], 'granted'],
  ]);

  // Nothing of the payloads in either log: no value the history holds (the subject aside, whose log row it is).
  const values = valuesIn(decoded.body.payloads);
  expect(values).toContain(nationalNumber);
  const auditText = JSON.stringify(audit);
  const rowText = JSON.stringify({ ...rows[0], subject_type: undefined, subject_id: undefined });
  expect(values.filter((v) => auditText.includes(v) || rowText.includes(v))).toEqual([]);

  // The Web UI decodes a history in many requests: each is audited, the citizen's log gets the one row.
  expect((await auditor.post('/codec/decode', { payloads: historyPayloads.slice(0, 5) }, { 'x-purpose': PURPOSE, 'x-namespace': 'default' })).status).toBe(200);
  // (Rows are keyed per hour: a run across the full hour writes a second one.)
  const acrossTheHour = new Date().toISOString().slice(0, 13) !== decodedAt;
  expect((await lastAudit()).detail).toMatchObject({ outcome: 'decoded', journeys: [journeyId], accessLogRows: acrossTheHour ? 1 : 0 });
  expect((await accessRows()).length).toBe(before + (acrossTheHour ? 2 : 1));

  const mine = await citizen.get(`/me/data-access?journey=${journeyId}&lang=en`);
  expect(mine.status).toBe(200);
  const seen = mine.body.items.filter((e: any) => e.actor.kind === 'auditor');
  expect(seen).toHaveLength(acrossTheHour ? 2 : 1);
  expect(seen[0]).toMatchObject({
    subject: { type: 'person', id: nationalNumber, relation: 'self' },
    journey: { id: journeyId, title: 'Codec' },
    actor: { kind: 'auditor' },
    source: { key: 'temporal-history', title: "The file's history in the process platform" },
    fields: [],
    purpose: `An auditor read the file's history in the process platform. Reason: ${PURPOSE}`,
    legalBasis: { type: 'law' },
    outcome: 'granted',
  });
  expect((await citizen.get(`/me/data-access?journey=${journeyId}&lang=nl`)).body.items.find((e: any) => e.actor.kind === 'auditor').purpose).toMatch(/^Een auditor las het verloop/);
});

test('a decode without a purpose is refused with 400 and audited; so is a payload that does not decrypt (422)', async () => {
  const accessBefore = (await accessRows()).length;
  const auditsBefore = await auditCount();
  const problem = expectProblem(await auditor.post('/codec/decode', { payloads: historyPayloads }), 400);
  expect(problem.detail).toMatch(/send the header X-Purpose/);
  expect(problem.detail).toContain('--codec-header "X-Purpose=');
  expect(problem.errors).toEqual([{ path: '/headers/x-purpose', message: 'X-Purpose missing' }]);
  expect((await lastAudit()).detail).toMatchObject({ via: 'token', purpose: null, outcome: 'refused', status: 400, reason: 'X-Purpose missing', payloads: historyPayloads.length, decrypted: 0 });
  expectProblem(await auditor.post('/codec/decode', { payloads: historyPayloads }, { 'x-purpose': 'ok' }), 400);
  expect((await lastAudit()).detail).toMatchObject({ outcome: 'refused', reason: 'X-Purpose is shorter than 3 characters' });

  const target = historyPayloads.find((p) => Buffer.from(p.metadata?.encoding ?? '', 'base64').toString() === 'binary/encrypted')!;
  const data = Buffer.from(target.data!, 'base64');
  data[data.length - 1] ^= 1;
  const tampered = await auditor.post('/codec/decode', { payloads: [{ ...target, data: data.toString('base64') }] }, { 'x-purpose': PURPOSE });
  expect(expectProblem(tampered, 422).detail).toMatch(/does not decrypt: it was altered/);
  expect((await lastAudit()).detail).toMatchObject({ purpose: PURPOSE, outcome: 'refused', status: 422, payloads: 1, encrypted: 1, decrypted: 0, keyIds: [testTemporalConfig().codecKeys[0].id], reason: expect.stringMatching(/does not decrypt/) });
  const unknownKey = { ...target, metadata: { ...target.metadata, 'encryption-key-id': Buffer.from('retired').toString('base64') } };
  expectProblem(await auditor.post('/codec/decode', { payloads: [unknownKey] }, { 'x-purpose': PURPOSE }), 422);
  expect((await lastAudit()).detail).toMatchObject({ outcome: 'refused', status: 422, keyIds: ['retired'], reason: expect.stringMatching(/key id "retired", which is not among the configured keys/) });

  expect(await auditCount()).toBe(auditsBefore + 4);
  expect((await accessRows()).length).toBe(accessBefore);
});

test('a journey named without its subject is attributed through the read model; unknown journeys and subjects outside journeys as documented', async () => {
  const codec = payloadCodec(testTemporalConfig());
  const unknownJourney = randomUUID();
  const enterprise = { type: 'enterprise', id: '0123456789' };
  const plain = [{ journeyId, node: 'apply' }, { journeyId: unknownJourney }, { event: { subject: enterprise } }].map((v) => defaultPayloadConverter.toPayload(v)!);
  const payloads = (await codec.encode(plain)).map(toJsonPayload);
  const before = (await accessRows()).length;
  expect((await auditor.post('/codec/decode', { payloads }, { 'x-purpose': `${PURPOSE}, follow-up` })).status).toBe(200);
  const audit = await lastAudit();
  // No X-Namespace: the gateway's own namespace is the target, the header is recorded as absent.
  expect(audit.target_id).toBe(testTemporalConfig().namespace);
  expect(audit.detail).toMatchObject({ namespace: null, journeys: [journeyId, unknownJourney], subjectsOutsideJourneys: 1, accessLogRows: 2, unattributedJourneys: [unknownJourney] });
  const rows = (await accessRows()).slice(before);
  expect(rows.map((r: any) => [r.subject_type, r.subject_id, r.journey_id])).toEqual([
    ['person', nationalNumber, journeyId],
    ['enterprise', '0123456789', null],
  ]);
});

test("the development Web UI's secret path is recorded as temporal-ui, with its standing purpose and the namespace it sends", async () => {
  const res = await fetch(`${gateway.baseUrl}/codec/${SECRET}/decode`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-namespace': 'default' }, body: JSON.stringify({ payloads: historyPayloads }) });
  expect(res.status).toBe(200);
  expect((await lastAudit())).toMatchObject({ actor: 'temporal-ui', target_id: 'default', detail: { via: 'secret-path', namespace: 'default', purpose: 'development Web UI', outcome: 'decoded', journeys: [journeyId] } });
  expect((await accessRows()).at(-1)).toMatchObject({ actor: 'temporal-ui', actor_kind: 'auditor', journey_id: journeyId, purpose: { en: "An auditor read the file's history in the process platform. Reason: development Web UI" } });
});

test("Temporal's CLI sends the purpose with --codec-header, and the namespace", async () => {
  const cli = resolveTemporalCli(path.resolve(__dirname, '../..'));
  const config = testTemporalConfig();
  const show = (extra: string[]) =>
    promisify(execFile)(cli, ['workflow', 'show', '--workflow-id', journeyWorkflowId(journeyId), '--address', config.address, '--namespace', config.namespace, '--output', 'json', '--codec-endpoint', `${gateway.baseUrl}/codec`, '--codec-auth', `Bearer ${auditor.token}`, ...extra], { maxBuffer: 64 * 1024 * 1024 });
  // The start input as the CLI prints it: decoded (json/plain) with the subject in it, or still encrypted.
  const startInput = (stdout: string) => {
    const events = (JSON.parse(stdout) as { events: Array<{ workflowExecutionStartedEventAttributes?: { input: { payloads: JsonPayload[] } } }> }).events;
    const [payload] = events[0].workflowExecutionStartedEventAttributes!.input.payloads;
    return { encoding: Buffer.from(payload.metadata!.encoding, 'base64').toString(), data: Buffer.from(payload.data ?? '', 'base64').toString() };
  };
  const [{ last }] = await gateway.ds.query(`SELECT COALESCE(max(id), 0)::int AS last FROM audit_log`);
  const shown = startInput((await show(['--codec-header', `X-Purpose=${PURPOSE} (CLI)`])).stdout);
  expect(shown.encoding).toBe('json/plain');
  expect(shown.data).toContain(nationalNumber);
  // The CLI decodes event by event: every request audited with the purpose and namespace, one row in the citizen's log.
  const audits = await gateway.ds.query(`SELECT actor, target_id, detail FROM audit_log WHERE action = 'codec.decode' AND id > $1 ORDER BY id`, [last]);
  expect(audits.length).toBeGreaterThan(1);
  for (const a of audits) expect(a).toMatchObject({ actor: 'auditor-1', target_id: config.namespace, detail: { via: 'token', namespace: config.namespace, purpose: `${PURPOSE} (CLI)`, outcome: 'decoded' } });
  expect(audits.filter((a: any) => a.detail.journeys.includes(journeyId)).length).toBeGreaterThan(0);
  const cliRows = (await accessRows()).filter((r: any) => r.purpose.en.endsWith(`${PURPOSE} (CLI)`));
  // One row (two when the run crossed the full hour, rows being keyed per hour), however many requests.
  expect(cliRows.length).toBeGreaterThanOrEqual(1);
  expect(cliRows.length).toBeLessThanOrEqual(2);
  expect(new Set(cliRows.map((r: any) => r.journey_id))).toEqual(new Set([journeyId]));

  // Without the header the decode is refused (and audited): the CLI fails, or prints the payloads still encrypted.
  const auditsBefore = await auditCount();
  const refused = await show([]).then(
    (r) => startInput(r.stdout),
    (err: Error) => ({ encoding: 'failed', data: err.message }),
  );
  expect(refused.encoding).not.toBe('json/plain');
  expect(refused.data).not.toContain(nationalNumber);
  expect(await auditCount()).toBeGreaterThan(auditsBefore);
  expect((await lastAudit()).detail).toMatchObject({ outcome: 'refused', reason: 'X-Purpose missing' });
});

test('both logs still chain after many concurrent decodes', async () => {
  await Promise.all(historyPayloads.map((p) => auditor.post('/codec/decode', { payloads: [p] }, { 'x-purpose': `${PURPOSE}, concurrent` })));
  // One row for all those requests (two only across the full hour).
  const concurrent = (await accessRows()).filter((r: any) => r.purpose.en.endsWith(`${PURPOSE}, concurrent`)).length;
  expect([1, 2]).toContain(concurrent);
  const reports = await verifyLogChains(gateway.ds);
  expect(reports.map((r) => [r.log, r.broken])).toEqual([
    ['audit_log', undefined],
    ['data_access_log', undefined],
  ]);
});

test('the OpenAPI document asks for X-Purpose on the token path and documents the 400', async () => {
  const doc = (await (await fetch(`${gateway.baseUrl}/openapi.json`)).json()) as any;
  const decode = doc.paths['/codec/decode'].post;
  expect(decode.parameters).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'X-Purpose', in: 'header', required: true })]));
  expect(decode.responses['400']).toBeDefined();
  expect(decode.description).toContain('Every decode is audited');
  expect(doc.paths['/codec/{access}/decode'].post.parameters).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'X-Purpose', in: 'header', required: false })]));
});
