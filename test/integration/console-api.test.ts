/**
 * What the console needs from the public API, in-process on a fresh database: the dashboard's
 * statistics (journeys by status and throughput, service-norm breaches per agency, automation
 * rate), conditional GETs of a journey (ETag, 304) for live pages, and CORS for the console's origin.
 */
import type { DataSource } from 'typeorm';
import { startInProcessGateway, type InProcessGateway } from '../support/gateway';
import { Api } from '../support/http';

jest.setTimeout(60_000);

const CONSOLE_ORIGIN = 'http://127.0.0.1:3299';
const t = (nl: string, en: string) => ({ nl, en, fr: `${en} (fr)`, de: `${en} (de)` });
const id = (n: number) => `0c5f6c1e-0000-4000-8000-${String(n).padStart(12, '0')}`;

let gateway: InProcessGateway;
let ds: DataSource;
let baseUrl: string;
let auditor: Api;
let citizen: Api;

async function seed() {
  const q = (sql: string, params: unknown[] = []) => ds.query(sql, params);
  await q(`INSERT INTO agencies (code, names) VALUES ('payer', $1), ('municipality', $2)`, [t('Uitbetaler', 'Payer'), t('Gemeente', 'Municipality')]);
  // Four births: three completed in 1, 2 and 10 hours, one running; one business start, cancelled.
  const journeys: Array<[number, string, string, string | null]> = [
    [1, 'birth', 'completed', '1 hour'],
    [2, 'birth', 'completed', '2 hours'],
    [3, 'birth', 'completed', '10 hours'],
    [4, 'birth', 'running', null],
    [5, 'business', 'cancelled', null],
  ];
  for (const [n, key, status, took] of journeys) {
    await q(
      `INSERT INTO journeys (id, idempotency_key, life_event_key, life_event_version, title, subject_type, subject_id, status, agencies, started_at, completed_at, started_by, data, updated_at)
       VALUES ($1::uuid, $1::text, $2, 1, $3, 'person', '85073003328', $4, '{payer,municipality}', now() - interval '1 day',
               CASE WHEN $5::text IS NULL THEN NULL ELSE now() - interval '1 day' + $5::interval END, 'test', '{}', now())`,
      [id(n), key, key === 'birth' ? t('Geboorte', 'Birth') : t('Zaak starten', 'Start a business'), status, took],
    );
  }
  // Steps: the payer's decisions (one referred to a caseworker, so not automated), the municipality's visits.
  const step = (n: number, node: string, agency: string, kind: string, status: string, due: string | null, done: string | null, flags = { warned: false, escalated: false }) =>
    q(
      `INSERT INTO journey_steps (journey_id, node_key, agency, kind, status, title, started_at, due_at, completed_at, warned, escalated)
       VALUES ($1, $2, $3, $4, $5, $6, now() - interval '1 day', now() - interval '1 day' + $7::interval, now() - interval '1 day' + $8::interval, $9, $10)`,
      [id(n), node, agency, kind, status, t(node, node), due, done, flags.warned, flags.escalated],
    );
  await step(1, 'benefit', 'payer', 'decision', 'completed', '5 hours', '1 hour');
  await step(2, 'benefit', 'payer', 'decision', 'completed', '5 hours', '2 hours');
  await step(3, 'benefit', 'payer', 'decision', 'completed', '5 hours', '6 hours', { warned: true, escalated: false });
  await q(`INSERT INTO tasks (id, journey_id, node_key, agency, assignee, subject_type, subject_id, status, title, created_at, purpose)
           VALUES ($1, $2, 'benefit', 'payer', 'caseworker', 'person', '85073003328', 'completed', $3, now(), 'task')`, [`${id(3)}.benefit`, id(3), t('b', 'b')]);
  await step(1, 'visit', 'municipality', 'citizen', 'completed', '2 hours', '1 hour');
  await step(4, 'visit', 'municipality', 'citizen', 'waiting', '2 hours', null, { warned: true, escalated: true });
  await step(4, 'call', 'municipality', 'automatic', 'completed', null, '1 minute');
}

beforeAll(async () => {
  gateway = await startInProcessGateway('console-api', { CORS_ORIGINS: CONSOLE_ORIGIN });
  ({ ds, baseUrl } = gateway);
  await seed();
  auditor = await gateway.as({ role: 'auditor' });
  citizen = await gateway.as({ role: 'citizen', nationalNumber: '85073003328' });
});

afterAll(async () => {
  await gateway?.close();
});

test('journeys by status per life event, with the median and 90th percentile throughput of the completed ones', async () => {
  const res = await auditor.get('/stats/journeys?lang=en');
  expect(res.status).toBe(200);
  expect(res.body.journeys).toBe(5);
  expect(res.body.byStatus).toEqual({ running: 1, needs_attention: 0, completed: 3, cancelled: 1 });
  const birth = res.body.items.find((i: any) => i.lifeEvent === 'birth');
  expect(birth).toMatchObject({ title: 'Birth', journeys: 4, byStatus: { running: 1, completed: 3 } });
  // 1, 2 and 10 hours: median 2 h; p90 interpolated 2 + 0.8 × 8 = 8.4 h.
  expect(birth.throughput).toEqual({ completed: 3, medianMs: 2 * 3_600_000, p90Ms: 8.4 * 3_600_000 });
  expect(res.body.items.find((i: any) => i.lifeEvent === 'business').throughput).toEqual({ completed: 0 });
  expect((await citizen.get('/stats/journeys?lifeEvent=business')).body).toMatchObject({ journeys: 1, items: [{ lifeEvent: 'business' }] });
});

test('service-norm breaches per agency: late, open past due, warned, escalated', async () => {
  const res = await auditor.get('/stats/service-norms?lang=nl');
  expect(res.status).toBe(200);
  expect(res.body.items).toEqual([
    { agency: 'municipality', name: 'Gemeente', steps: 2, breached: 1, openOverdue: 1, warned: 1, escalated: 1, breachRate: 0.5 },
    { agency: 'payer', name: 'Uitbetaler', steps: 3, breached: 1, openOverdue: 0, warned: 1, escalated: 0, breachRate: 0.3333 },
  ]);
});

test('automation rate: completed steps nobody worked on (a referred decision and a citizen step are not)', async () => {
  const res = await auditor.get('/stats/automation');
  expect(res.status).toBe(200);
  // birth: decisions 1 and 2 (automated), 3 (referred), visit 1 (citizen), call 4 (automatic) = 3 of 5.
  expect(res.body.items).toEqual([{ lifeEvent: 'birth', title: 'Geboorte', completedSteps: 5, automated: 3, automationRate: 0.6 }]);
  expect(res.body).toMatchObject({ completedSteps: 5, automated: 3, automationRate: 0.6 });
});

test('a journey answers with an ETag; polling with If-None-Match costs a 304 until it changes', async () => {
  const first = await auditor.get(`/journeys/${id(4)}`);
  expect(first.status).toBe(200);
  const etag = first.headers.get('etag');
  expect(etag).toBeTruthy();
  expect(first.headers.get('cache-control')).toBe('private, no-cache');
  // As a browser's fetch() sends it: with Cache-Control: no-cache next to If-None-Match.
  const same = await auditor.request('GET', `/journeys/${id(4)}`, undefined, { 'if-none-match': etag!, 'cache-control': 'no-cache' });
  expect(same.status).toBe(304);
  expect(same.body).toBeUndefined();
  await ds.query(`UPDATE journey_steps SET status = 'completed', completed_at = now() WHERE journey_id = $1 AND node_key = 'visit'`, [id(4)]);
  const changed = await auditor.request('GET', `/journeys/${id(4)}`, undefined, { 'if-none-match': etag! });
  expect(changed.status).toBe(200);
  expect(changed.headers.get('etag')).not.toBe(etag);
  expect(changed.body.steps.find((s: any) => s.key === 'visit').status).toBe('completed');
  // The task inbox too.
  const tasks = await citizen.get('/tasks');
  expect((await citizen.request('GET', '/tasks', undefined, { 'if-none-match': tasks.headers.get('etag')! })).status).toBe(304);
});

test('CORS: the console origin may call the API and read the ETag; other origins get no CORS headers', async () => {
  const preflight = await fetch(`${baseUrl}/journeys/${id(4)}`, {
    method: 'OPTIONS',
    headers: { origin: CONSOLE_ORIGIN, 'access-control-request-method': 'GET', 'access-control-request-headers': 'authorization,if-none-match' },
  });
  expect(preflight.status).toBe(204);
  expect(preflight.headers.get('access-control-allow-origin')).toBe(CONSOLE_ORIGIN);
  expect(preflight.headers.get('access-control-allow-headers')?.toLowerCase()).toContain('if-none-match');
  const res = await auditor.request('GET', `/journeys/${id(4)}`, undefined, { origin: CONSOLE_ORIGIN });
  expect(res.headers.get('access-control-allow-origin')).toBe(CONSOLE_ORIGIN);
  expect(res.headers.get('access-control-expose-headers')).toContain('ETag');
  const other = await auditor.request('GET', `/journeys/${id(4)}`, undefined, { origin: 'https://elsewhere.example' });
  expect(other.status).toBe(200);
  expect(other.headers.get('access-control-allow-origin')).toBeNull();
});

test('the OpenAPI document describes the statistics and the conditional GET', async () => {
  const doc = (await new Api(baseUrl).get('/openapi.json')).body;
  for (const path of ['/stats/journeys', '/stats/service-norms', '/stats/automation']) expect(doc.paths[path]?.get).toBeDefined();
  expect(doc.paths['/journeys/{id}'].get.responses['304']).toBeDefined();
  expect(doc.paths['/journeys/{id}'].get.parameters.map((p: any) => p.name)).toContain('If-None-Match');
});
