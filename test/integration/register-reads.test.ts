/**
 * Register reads are logged before the call (`requested`) and with their outcome after it, as a
 * second row (the log is insert-only): granted, refused by the source, failed. The once-only
 * activity runs on a real PostgreSQL against a register over HTTP that grants, refuses (403) or
 * fails (503) per person; the access-log views show each read once, with its outcome.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createOnceOnlyActivities } from '../../activities/src/once-only.activities';
import type { DataRequirement } from '@levensloop/domain';
import { verifyLogChains } from '@levensloop/persistence';
import { createSourceClient, readSourcesConfig } from '@levensloop/sources';
import { startInProcessGateway, type InProcessGateway } from '../support/gateway';

jest.setTimeout(60_000);

const GRANTS = '85073003328';
const REFUSES = '90010100123';
const FAILS = '70010100155';
const JOURNEY = '0b5f6c1e-0000-4000-8000-0000000000a1';

let gateway: InProcessGateway;
let register: Server;
let activities: ReturnType<typeof createOnceOnlyActivities>;

const requirements: DataRequirement[] = [
  {
    source: 'national-register',
    field: 'birthDate',
    purpose: { nl: 'Recht nagaan', en: 'Check the right', fr: 'Vérifier le droit', de: 'Anspruch prüfen' },
    legalBasis: { type: 'law', reference: 'Decreet Groeipakket, art. 8' },
  },
];

beforeAll(async () => {
  // The register: grants one person, refuses the read of another, is down for a third.
  register = createServer((req, res) => {
    const id = decodeURIComponent(new URL(req.url!, 'http://x').pathname.split('/').pop()!);
    res.setHeader('content-type', 'application/json');
    if (id === REFUSES) {
      res.statusCode = 403;
      res.end(JSON.stringify({ detail: 'this purpose is not accepted for this requester' }));
    } else if (id === FAILS) {
      res.statusCode = 503;
      res.end(JSON.stringify({ detail: 'maintenance' }));
    } else res.end(JSON.stringify({ record: { birthDate: '1985-07-30' } }));
  });
  await new Promise<void>((resolve) => register.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(register.address() as AddressInfo).port}`;
  gateway = await startInProcessGateway('register-reads');
  const sources = createSourceClient(readSourcesConfig({ SOURCES_URL: url, SOURCES_TOKEN: 't', SOURCES_CACHE_TTL_MS: '0' }).config);
  activities = createOnceOnlyActivities({ dataSource: gateway.ds, sources });
  await gateway.ds.query(
    `INSERT INTO journeys (id, idempotency_key, life_event_key, life_event_version, title, subject_type, subject_id, status, agencies, started_at, started_by, data, updated_at)
     VALUES ($1::uuid, $1::text, 'birth', 1, '{"en":"Birth"}', 'person', $2, 'running', '{payer}', now(), 'test', '{}', now())`,
    [JOURNEY, GRANTS],
  );
});

afterAll(async () => {
  await gateway?.close();
  await new Promise((resolve) => register?.close(resolve));
});

const read = (subjectId: string, journeyId: string | null = null) =>
  activities.prepareStepData({
    journeyId: journeyId ?? JOURNEY.replace(/a1$/, subjectId.slice(-2)),
    nodeKey: 'benefit',
    agency: 'payer',
    stepKey: 'child-benefit',
    subject: { type: 'person', id: subjectId },
    requirements,
    round: 0,
  });

const rowsOf = (subjectId: string) =>
  gateway.ds.query(`SELECT id, outcome, reason, request_id, fields FROM data_access_log WHERE subject_id = $1 ORDER BY id`, [subjectId]);

test('a granted read: the request, then its outcome pointing at it', async () => {
  expect((await read(GRANTS, JOURNEY)).prefilled).toEqual(['national-register/birthDate']);
  const rows = await rowsOf(GRANTS);
  expect(rows.map((r: any) => [r.outcome, r.request_id, r.fields])).toEqual([
    ['requested', null, ['birthDate']],
    ['granted', rows[0].id, ['birthDate']],
  ]);
});

test('a read the register refuses is logged as refused by the source, with its answer', async () => {
  await expect(read(REFUSES)).rejects.toThrow(/refused the read with 403/);
  const rows = await rowsOf(REFUSES);
  expect(rows.map((r: any) => [r.outcome, r.request_id])).toEqual([
    ['requested', null],
    ['refused-by-source', rows[0].id],
  ]);
  expect(rows[1].reason).toContain('this purpose is not accepted for this requester');
});

test('a read the register fails to answer is logged as failed; a retry that fails again adds nothing for the same attempt', async () => {
  await expect(read(FAILS)).rejects.toThrow(/answered 503/);
  await expect(read(FAILS)).rejects.toThrow(/answered 503/); // the same attempt number outside an activity: one outcome row
  const rows = await rowsOf(FAILS);
  expect(rows.map((r: any) => [r.outcome, r.request_id])).toEqual([
    ['requested', null],
    ['failed', rows[0].id],
  ]);
  expect(rows[1].reason).toContain('maintenance');
  expect((await verifyLogChains(gateway.ds)).map((r) => r.broken)).toEqual([undefined, undefined]);
});

test('the access-log views show each read once, with its outcome, and filter by it', async () => {
  const auditor = await gateway.as({ role: 'auditor', sub: 'auditor' });
  const outcomes = async (subject: string, extra = '') => (await auditor.get(`/data-access?subject=${subject}${extra}`)).body.items.map((e: any) => e.outcome);
  expect(await outcomes(GRANTS)).toEqual(['granted']);
  expect(await outcomes(REFUSES)).toEqual(['refused-by-source']);
  expect(await outcomes(FAILS)).toEqual(['failed']);
  expect(await outcomes(FAILS, '&outcome=failed')).toEqual(['failed']);
  expect(await outcomes(FAILS, '&outcome=granted')).toEqual([]);
  const citizen = await gateway.as({ role: 'citizen', nationalNumber: REFUSES, sub: 'refused-citizen' });
  const mine = (await citizen.get('/me/data-access?lang=en')).body.items;
  expect(mine.map((e: any) => [e.outcome, e.reason])).toEqual([['refused-by-source', expect.stringContaining('403')]]);
  // A request whose outcome never came (the engine stopped during the call) still shows, as requested.
  await gateway.ds.query(
    `INSERT INTO data_access_log (subject_type, subject_id, actor, actor_kind, source, fields, purpose, legal_basis, outcome)
     VALUES ('person', $1, 'payer/child-benefit', 'step', 'national-register', '{birthDate}', '{"en":"Check"}', '{"type":"law","reference":"art. 8"}', 'requested')`,
    [GRANTS],
  );
  expect(await outcomes(GRANTS)).toEqual(['requested', 'granted']);
  const bad = await auditor.get('/data-access?outcome=lost');
  expect(bad.status).toBe(400);
});
