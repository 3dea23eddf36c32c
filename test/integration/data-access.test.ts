/**
 * Data use, as citizens, caseworkers and auditors read it: the gateway in-process (real guard,
 * filter and validation) on a fresh PostgreSQL database and the real Temporal server. The rows
 * the worker writes (access log, journey data fields, consents, decisions, mandates) are
 * inserted here through SQL, as the worker would.
 */
import type { DataSource } from 'typeorm';
import { startInProcessGateway, type InProcessGateway } from '../support/gateway';
import { Api, expectProblem } from '../support/http';

jest.setTimeout(60_000);

const CHILD = '24010112345';
const PARENT = '85073003328';
const EX_GUARDIAN = '70010100155';
const STRANGER = '90010100123';
const J_CHILD = '0b5f6c1e-0000-4000-8000-000000000001';
const J_STRANGER = '0b5f6c1e-0000-4000-8000-000000000002';
const J_DONE = '0b5f6c1e-0000-4000-8000-000000000003';

let gateway: InProcessGateway;
let ds: DataSource;
let baseUrl: string;
let parent: Api, stranger: Api, exGuardian: Api, auditor: Api, payer: Api, municipality: Api, anon: Api;


const t = (nl: string, en: string) => ({ nl, en, fr: `${en} (fr)`, de: `${en} (de)` });
const law = { type: 'law', reference: 'Decreet Groeipakket 27 april 2018, art. 8' };
const BENEFIT_REQUIREMENTS = [
  { source: 'national-register', field: 'birthDate', purpose: t('Nagaan of het kind recht heeft op het startbedrag', 'Check whether the child is entitled to the birth grant'), legalBasis: law },
  { source: 'national-register', field: 'address.postalCode', purpose: t('Bepalen welke uitbetaler bevoegd is', 'Determine the competent payer'), legalBasis: law },
];

async function seed() {
  const q = (sql: string, params: unknown[] = []) => ds.query(sql, params);
  await q(`INSERT INTO agencies (code, names) VALUES ('payer', $1), ('municipality', $2)`, [t('Uitbetaler', 'Payer'), t('Gemeente', 'Municipality')]);
  await q(
    `INSERT INTO service_steps (agency, key, version, status, kind, definition, published_at) VALUES
       ('payer', 'child-benefit', 1, 'published', 'decision', $1, now()),
       ('municipality', 'home-visit', 1, 'published', 'citizen', $2, now())`,
    [
      { agency: 'payer', key: 'child-benefit', kind: 'decision', titles: t('Startbedrag', 'Birth grant'), serviceNorm: { target: 'P5D' }, dataRequirements: BENEFIT_REQUIREMENTS },
      { agency: 'municipality', key: 'home-visit', kind: 'citizen', titles: t('Huisbezoek', 'Home visit'), serviceNorm: { target: 'P14D' } },
    ],
  );
  await q(`INSERT INTO life_events (key, version, status, audience, definition, published_at) VALUES ('birth', 1, 'published', 'citizen', $1, now())`, [
    {
      key: 'birth', audience: 'citizen', titles: t('Geboorte', 'Birth'),
      nodes: [
        { key: 'benefit', step: { agency: 'payer', key: 'child-benefit', version: 1 } },
        { key: 'visit', step: { agency: 'municipality', key: 'home-visit', version: 1 }, dependsOn: ['benefit'] },
      ],
    },
  ]);
  for (const [id, subject, status] of [[J_CHILD, CHILD, 'running'], [J_STRANGER, STRANGER, 'running'], [J_DONE, CHILD, 'completed']]) {
    await q(
      `INSERT INTO journeys (id, idempotency_key, life_event_key, life_event_version, title, subject_type, subject_id, status, agencies, started_at, started_by, data, updated_at)
       VALUES ($1::uuid, $1::text, 'birth', 1, $2, 'person', $3, $4, '{payer,municipality}', now() - interval '1 hour', 'source:national-register', '{}', now())`,
      [id, t('Geboorte', 'Birth'), subject, status],
    );
    await q(
      `INSERT INTO journey_steps (journey_id, node_key, agency, kind, status, title) VALUES
         ($1, 'benefit', 'payer', 'decision', 'completed', $2), ($1, 'visit', 'municipality', 'citizen', 'waiting', $3)`,
      [id, t('Startbedrag', 'Birth grant'), t('Huisbezoek', 'Home visit')],
    );
  }
  await q(
    `INSERT INTO tasks (id, journey_id, node_key, agency, assignee, subject_type, subject_id, status, title, created_at)
     VALUES ($1, $2, 'visit', 'municipality', 'citizen', 'person', $3, 'open', $4, now())`,
    [`${J_CHILD}:visit`, J_CHILD, CHILD, t('Huisbezoek', 'Home visit')],
  );
  await q(
    `INSERT INTO mandates (holder_id, subject_type, subject_id, kind, source, valid_from, valid_until) VALUES
       ($1, 'person', $2, 'parent', 'birth-event', now() - interval '1 day', NULL),
       ($3, 'person', $2, 'guardian', 'court', now() - interval '2 years', now() - interval '1 year')`,
    [PARENT, CHILD, EX_GUARDIAN],
  );
  // Three fetches by the engine about the child, at distinct times; one about the parent; one about the stranger.
  const log = (subject: string, journey: string | null, node: string | null, fields: string[], minutesAgo: number, agency = 'payer', step = 'child-benefit') =>
    q(
      `INSERT INTO data_access_log (access_key, at, subject_type, subject_id, journey_id, node_key, agency, step_key, actor, actor_kind, source, fields, purpose, legal_basis, outcome)
       VALUES ($1, now() - make_interval(mins => $2), 'person', $3, $4, $5, $6, $7, 'engine', 'step', 'national-register', $8, $9, $10, 'granted')`,
      [`${subject}:${journey}:${node}:${minutesAgo}`, minutesAgo, subject, journey, node, agency, step, fields, BENEFIT_REQUIREMENTS[0].purpose, law],
    );
  await log(CHILD, J_CHILD, 'benefit', ['birthDate'], 30);
  await log(CHILD, J_CHILD, 'benefit', ['address.postalCode'], 20);
  await log(CHILD, J_DONE, 'benefit', ['birthDate'], 10);
  await log(PARENT, null, null, ['family.children'], 5);
  await log(STRANGER, J_STRANGER, 'benefit', ['birthDate'], 1);
  await q(
    `INSERT INTO journey_data_fields (journey_id, node_key, source, field, origin, value) VALUES
       ($1, 'benefit', 'national-register', 'birthDate', 'source', '"2024-01-01"'),
       ($1, 'benefit', 'national-register', 'address.postalCode', 'citizen', '"9000"')`,
    [J_CHILD],
  );
  await q(
    `INSERT INTO consents (id, subject_type, subject_id, agency, step_key, source, field, status, journey_id, node_key, given_by) VALUES
       ('c0000000-0000-4000-8000-000000000001', 'person', $1, 'payer', 'child-benefit', 'national-register', 'family.parents', 'granted', $2, 'benefit', $3),
       ('c0000000-0000-4000-8000-000000000002', 'person', $1, 'payer', 'child-benefit', 'national-register', 'family.partner', 'refused', $2, 'benefit', $3)`,
    [CHILD, J_CHILD, PARENT],
  );
  const decision = (journey: string) =>
    q(
      `INSERT INTO decisions (journey_id, node_key, subject_type, subject_id, agency, step_key, step_version, rule_id, rule_version, inputs, outcome, branch, explanation)
       VALUES ($1, 'benefit', 'person', $2, 'payer', 'child-benefit', 1, 'birth-grant', 2, $3, 'deny', -1, $4)`,
      [
        journey,
        CHILD,
        { fields: [{ source: 'national-register', field: 'birthDate', value: '2024-01-01', origin: 'source' }, { source: 'national-register', field: 'address.postalCode', value: '9000', origin: 'citizen' }], data: {} },
        t('Geen startbedrag: het kind woont niet in Vlaanderen (postcode 9000).', 'No birth grant: the child does not live in Flanders (postal code 9000).'),
      ],
    );
  await decision(J_CHILD);
  await decision(J_DONE);
}

beforeAll(async () => {
  gateway = await startInProcessGateway('data-access');
  ({ ds, baseUrl } = gateway);
  await seed();
  const as = gateway.as;
  [parent, stranger, exGuardian, auditor, payer, municipality] = await Promise.all([
    as({ role: 'citizen', nationalNumber: PARENT, sub: 'parent' }),
    as({ role: 'citizen', nationalNumber: STRANGER, sub: 'stranger' }),
    as({ role: 'citizen', nationalNumber: EX_GUARDIAN, sub: 'ex-guardian' }),
    as({ role: 'auditor', sub: 'auditor' }),
    as({ role: 'caseworker', agency: 'payer', sub: 'cw-payer' }),
    as({ role: 'caseworker', agency: 'municipality', sub: 'cw-municipality' }),
  ]);
  anon = new Api(baseUrl);
});

afterAll(async () => {
  await gateway?.close();
});

const logRows = (where: string, params: unknown[]) => ds.query(`SELECT * FROM data_access_log WHERE ${where} ORDER BY id`, params);
const auditRows = (target: string) => ds.query(`SELECT * FROM audit_log WHERE target_id = $1 ORDER BY id`, [target]);

describe('mandates in access', () => {
  test('a parent sees the child’s journey, its tasks and their mandates; a stranger and an expired guardian do not', async () => {
    const mandates = await parent.get('/me/mandates');
    expect(mandates.status).toBe(200);
    expect(mandates.body.held).toEqual([expect.objectContaining({ subject: { type: 'person', id: CHILD }, kind: 'parent' })]);
    expect((await exGuardian.get('/me/mandates')).body.held).toEqual([]);

    expect((await parent.get(`/journeys/${J_CHILD}`)).status).toBe(200);
    expectProblem(await stranger.get(`/journeys/${J_CHILD}`), 404);
    expectProblem(await exGuardian.get(`/journeys/${J_CHILD}`), 404);
    expect((await stranger.get(`/journeys/${J_STRANGER}`)).status).toBe(200);

    const list = await parent.get('/journeys');
    expect(list.body.items.map((j: any) => j.id).sort()).toEqual([J_CHILD, J_DONE].sort());
    expect((await stranger.get('/journeys')).body.items.map((j: any) => j.id)).toEqual([J_STRANGER]);

    const tasks = await parent.get('/tasks');
    expect(tasks.body.items.map((t: any) => t.id)).toEqual([`${J_CHILD}:visit`]);
    expect((await stranger.get('/tasks')).body.items).toEqual([]);
    expect((await parent.get(`/tasks/${J_CHILD}:visit`)).status).toBe(200);
    expectProblem(await exGuardian.get(`/tasks/${J_CHILD}:visit`), 404);
    // Past the access check, the parent reaches the journey (here without a running workflow); the stranger does not.
    expectProblem(await stranger.post(`/tasks/${J_CHILD}:visit/complete`, { outcome: 'approve' }), 404);
    expectProblem(await parent.post(`/tasks/${J_CHILD}:visit/complete`, { outcome: 'approve' }), 409);
  });
});

describe('the data-access log', () => {
  test('the subject’s representative reads who consulted the data, why, in their language; newest first, marked whose it is', async () => {
    const res = await parent.get('/me/data-access?lang=en');
    expect(res.status).toBe(200);
    expect(res.body.items.map((e: any) => [e.subject.id, e.subject.relation])).toEqual([
      [PARENT, 'self'],
      [CHILD, 'mandate'],
      [CHILD, 'mandate'],
      [CHILD, 'mandate'],
    ]);
    const childEntry = res.body.items.find((e: any) => e.fields[0]?.id === 'national-register/address.postalCode');
    expect(childEntry).toMatchObject({
      subject: { id: CHILD, relation: 'mandate', mandateKinds: ['parent'] },
      journey: { id: J_CHILD, title: 'Birth' },
      step: { node: 'benefit', key: 'child-benefit', title: 'Birth grant' },
      agency: { code: 'payer', name: 'Payer' },
      actor: { kind: 'step' },
      source: { key: 'national-register', title: 'National register of persons' },
      fields: [{ id: 'national-register/address.postalCode', field: 'address.postalCode', title: 'Postal code' }],
      purpose: 'Check whether the child is entitled to the birth grant',
      legalBasis: { type: 'law', reference: law.reference, explanation: `A law allows this: ${law.reference}.` },
      outcome: 'granted',
    });

    // Accept-Language when no ?lang=; Dutch by default.
    const fr = await parent.request('GET', '/me/data-access', undefined, { 'accept-language': 'de;q=0.5, fr-BE, en;q=0.8' });
    expect(fr.body.items[2].fields[0].title).toBe('Code postal');
    const nl = await parent.get('/me/data-access');
    expect(nl.body.items[1].purpose).toBe('Nagaan of het kind recht heeft op het startbedrag');

    // Keyset pages of one, without gaps or repeats.
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await parent.get(`/me/data-access?limit=1${cursor ? `&cursor=${cursor}` : ''}`);
      expect(page.status).toBe(200);
      seen.push(...page.body.items.map((e: any) => e.id));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(seen).toEqual(res.body.items.map((e: any) => e.id));
    expectProblem(await parent.get('/me/data-access?cursor=bogus'), 400);
    expectProblem(await parent.get('/me/data-access?lang=xx'), 400);
  });

  test('a stranger sees only their own entries, whatever they filter on; an auditor sees everything', async () => {
    expect((await stranger.get('/me/data-access')).body.items.map((e: any) => e.subject.id)).toEqual([STRANGER]);
    expect((await stranger.get(`/me/data-access?subject=${CHILD}`)).body.items).toEqual([]);
    expect((await stranger.get(`/me/data-access?journey=${J_CHILD}`)).body.items).toEqual([]);
    expect((await exGuardian.get(`/me/data-access?subject=${CHILD}`)).body.items).toEqual([]);
    expectProblem(await stranger.get(`/data-access?subject=${CHILD}`), 403);
    expectProblem(await anon.get('/me/data-access'), 401);

    const all = await auditor.get(`/data-access?subject=${CHILD}`);
    expect(all.status).toBe(200);
    expect(all.body.items).toHaveLength(3);
    expect(all.body.items.every((e: any) => e.subject.id === CHILD && e.subject.relation === undefined)).toBe(true);
    expect((await auditor.get(`/data-access?journey=${J_CHILD}`)).body.items).toHaveLength(2);
    expect((await auditor.get('/data-access')).body.items).toHaveLength(5);
  });
  test('pages keep rows that lie within one millisecond apart (the cursor keeps microseconds)', async () => {
    const busy = '11111111111';
    for (const micros of [100, 200, 300]) {
      await ds.query(
        `INSERT INTO data_access_log (at, subject_type, subject_id, actor, actor_kind, source, fields, purpose, legal_basis, outcome)
         VALUES (timestamptz '2026-01-01T10:00:00.123Z' + make_interval(secs => $1 / 1000000.0), 'person', $2, 'engine', 'step', 'national-register', '{birthDate}', $3, $4, 'granted')`,
        [micros, busy, BENEFIT_REQUIREMENTS[0].purpose, law],
      );
    }
    const ids: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await auditor.get(`/data-access?subject=${busy}&limit=1${cursor ? `&cursor=${cursor}` : ''}`);
      ids.push(...page.body.items.map((e: any) => e.id));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(ids).toHaveLength(3); // the rows stay: the log is append-only, and no other test reads this subject
  });
});

describe('purpose limitation', () => {
  test('a caseworker of the step’s agency reads declared fields, and the read is logged', async () => {
    const res = await payer.get(`/journeys/${J_CHILD}/steps/benefit/data?fields=national-register/birthDate,national-register/address.postalCode&lang=en`);
    expect(res.status).toBe(200);
    expect(res.body.fields).toEqual([
      expect.objectContaining({ id: 'national-register/birthDate', title: 'Date of birth', origin: 'prefilled', value: '2024-01-01' }),
      expect.objectContaining({ id: 'national-register/address.postalCode', title: 'Postal code', origin: 'asked', value: '9000' }),
    ]);
    const granted = await logRows(`actor = 'cw-payer' AND outcome = 'granted'`, []);
    expect(granted).toHaveLength(2); // two purposes, two rows
    expect(granted.map((r: any) => [r.actor_kind, r.subject_id, r.journey_id, r.agency, r.fields])).toEqual([
      ['caseworker', CHILD, J_CHILD, 'payer', ['birthDate']],
      ['caseworker', CHILD, J_CHILD, 'payer', ['address.postalCode']],
    ]);
    // The parent sees that a caseworker read the child's data.
    const mine = await parent.get('/me/data-access?lang=en');
    expect(mine.body.items[0]).toMatchObject({ subject: { id: CHILD }, actor: { kind: 'caseworker', caseworker: 'cw-payer' }, outcome: 'granted' });
  });

  test('an undeclared field is refused, named, and logged as refused; nothing is read', async () => {
    const before = (await logRows('true', [])).length;
    const res = expectProblem(await payer.get(`/journeys/${J_CHILD}/steps/benefit/data?fields=national-register/birthDate,national-register/family.partner`), 403);
    expect(res.detail).toMatch(/'national-register\/family\.partner'/);
    expect(res.detail).not.toMatch(/'national-register\/birthDate'/);
    expect((res as any).undeclared).toEqual(['national-register/family.partner']);
    const rows = await logRows('id > $1', [0]);
    expect(rows).toHaveLength(before + 1);
    expect(rows[rows.length - 1]).toMatchObject({ actor: 'cw-payer', actor_kind: 'caseworker', outcome: 'refused', subject_id: CHILD, fields: ['birthDate', 'family.partner'] });
    expect(rows[rows.length - 1].reason).toMatch(/family\.partner/);

    const refused = await parent.get(`/me/data-access?outcome=refused&lang=en`);
    expect(refused.body.items).toHaveLength(1);
    expect(refused.body.items[0].legalBasis.explanation).toMatch(/no legal basis/);
  });

  test('another agency is refused (and logged); bad field lists are 400 and not logged', async () => {
    const before = (await logRows('true', [])).length;
    expectProblem(await municipality.get(`/journeys/${J_CHILD}/steps/benefit/data?fields=national-register/birthDate`), 403);
    const rows = await logRows('true', []);
    expect(rows).toHaveLength(before + 1);
    expect(rows[rows.length - 1]).toMatchObject({ actor: 'cw-municipality', agency: 'municipality', outcome: 'refused', node_key: 'benefit' });

    const bad = expectProblem(await payer.get(`/journeys/${J_CHILD}/steps/benefit/data?fields=birthDate`), 400);
    expect(bad.detail).toMatch(/source\/field/);
    expectProblem(await payer.get(`/journeys/${J_CHILD}/steps/benefit/data`), 400);
    expectProblem(await payer.get(`/journeys/${J_CHILD}/steps/nope/data?fields=national-register/birthDate`), 404);
    expectProblem(await parent.get(`/journeys/${J_CHILD}/steps/benefit/data?fields=national-register/birthDate`), 403);
    expect(await logRows('true', [])).toHaveLength(before + 1);
  });
});

describe('consents', () => {
  const ID = 'c0000000-0000-4000-8000-000000000001';

  test('the representative lists and withdraws a consent (audited once); others cannot', async () => {
    const list = await parent.get('/me/consents?lang=en');
    expect(list.body.items.map((c: any) => [c.field.id, c.status])).toEqual(
      expect.arrayContaining([['national-register/family.parents', 'granted'], ['national-register/family.partner', 'refused']]),
    );
    expect(list.body.items[0]).toMatchObject({ agency: { name: 'Payer' }, step: { title: 'Birth grant' }, subject: { id: CHILD, relation: 'mandate' } });
    expect((await stranger.get('/me/consents')).body.items).toEqual([]);

    expectProblem(await stranger.post(`/me/consents/${ID}/withdraw`), 404);
    expectProblem(await exGuardian.post(`/me/consents/${ID}/withdraw`), 404);
    expectProblem(await parent.post('/me/consents/not-a-uuid/withdraw'), 404);
    expectProblem(await parent.post('/me/consents/c0000000-0000-4000-8000-000000000002/withdraw'), 409);

    const withdrawn = await parent.post(`/me/consents/${ID}/withdraw`);
    expect(withdrawn.status).toBe(200);
    expect(withdrawn.body).toMatchObject({ id: ID, status: 'withdrawn' });
    expect(withdrawn.body.withdrawnAt).toBeDefined();
    const again = await parent.post(`/me/consents/${ID}/withdraw`);
    expect(again.body).toEqual(withdrawn.body);
    const audit = await auditRows(ID);
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actor: 'parent', action: 'consent.withdrawn', target_type: 'consent' });
    expect(audit[0].detail).toMatchObject({ subject: { id: CHILD }, as: { mandate: ['parent'] } });
    // The answer stays the worker's; the withdrawal is the gateway's own row, at least as new as the answer.
    expect((await ds.query(`SELECT CASE WHEN w.consent_id IS NULL THEN c.status ELSE 'withdrawn' END AS status FROM consents c LEFT JOIN consent_withdrawals w ON w.consent_id = c.id AND w.withdrawn_at >= c.given_at WHERE c.id = $1`, [ID]))[0].status).toBe('withdrawn');
  });
});

describe('decisions', () => {
  test('whoever sees the journey reads its decisions, explained in their language with the inputs', async () => {
    const res = await parent.get(`/journeys/${J_CHILD}/decisions?lang=en`);
    expect(res.status).toBe(200);
    expect(res.body.items).toHaveLength(1);
    expect(res.body.items[0]).toMatchObject({
      node: 'benefit',
      rule: { id: 'birth-grant', version: 2 },
      step: { key: 'child-benefit', version: 1, title: 'Birth grant' },
      outcome: 'deny',
      decided: { outcome: 'deny', branch: -1, explanation: 'No birth grant: the child does not live in Flanders (postal code 9000).' },
      inputs: {
        fields: [
          expect.objectContaining({ id: 'national-register/birthDate', title: 'Date of birth', sourceTitle: 'National register of persons', value: '2024-01-01', origin: 'prefilled' }),
          expect.objectContaining({ id: 'national-register/address.postalCode', title: 'Postal code', value: '9000', origin: 'asked' }),
        ],
      },
    });
    expect(res.body.items[0].override).toBeUndefined();
    expect((await payer.get(`/journeys/${J_CHILD}/decisions`)).body.items[0].decided.explanation).toMatch(/^Geen startbedrag/);
    expectProblem(await stranger.get(`/journeys/${J_CHILD}/decisions`), 404);
  });

  test('a caseworker of the deciding agency overrides with a reason: recorded and audited once; a retry answers the same record', async () => {
    const target = `${J_DONE}/benefit`;
    expectProblem(await municipality.post(`/journeys/${J_DONE}/decisions/benefit/override`, { outcome: 'grant', reason: 'Lives in Ghent, Flanders' }), 403);
    expectProblem(await parent.post(`/journeys/${J_DONE}/decisions/benefit/override`, { outcome: 'grant', reason: 'Lives in Ghent, Flanders' }), 403);
    const bad = expectProblem(await payer.post(`/journeys/${J_DONE}/decisions/benefit/override`, { outcome: 'maybe', reason: '' }), 400);
    expect(bad.errors!.map((e) => e.path).sort()).toEqual(['/outcome', '/reason']);
    expectProblem(await payer.post(`/journeys/${J_DONE}/decisions/benefit/override`, { outcome: 'deny', reason: 'No change at all' }), 409);
    expect(await auditRows(target)).toHaveLength(0);

    // The journey has finished: nothing left to tell it, the recorded override is the decision now.
    const res = await payer.post(`/journeys/${J_DONE}/decisions/benefit/override?lang=en`, { outcome: 'grant', reason: 'Ghent is in Flanders' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      outcome: 'grant',
      decided: { outcome: 'deny' },
      override: { outcome: 'grant', reason: 'Ghent is in Flanders', by: 'cw-payer', explanation: 'A caseworker changed this decision to a grant: Ghent is in Flanders' },
      appliedToJourney: false,
    });
    const retry = await payer.post(`/journeys/${J_DONE}/decisions/benefit/override?lang=en`, { outcome: 'grant', reason: 'Ghent is in Flanders' });
    expect(retry.status).toBe(200);
    expect(retry.body.override).toEqual(res.body.override);
    expectProblem(await payer.post(`/journeys/${J_DONE}/decisions/benefit/override`, { outcome: 'grant', reason: 'Another reason' }), 409);

    const audit = await auditRows(target);
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actor: 'cw-payer', action: 'decision.overridden', target_type: 'decision' });
    expect(audit[0].detail).toMatchObject({ from: 'deny', to: 'grant', reason: 'Ghent is in Flanders', rule: { id: 'birth-grant', version: 2 } });
    expect((await parent.get(`/journeys/${J_DONE}/decisions`)).body.items[0].override.outcome).toBe('grant');

    const byJourney = await auditor.get(`/audit?target=${J_DONE}`);
    expect(byJourney.body.items.map((a: any) => [a.action, a.target.id])).toEqual([['decision.overridden', target]]);
    expect((await auditor.get(`/audit?target=${J_DONE}&action=consent.withdrawn`)).body.items).toEqual([]);
    expectProblem(await payer.get('/audit'), 403);
  });

  test('an override of a journey Temporal no longer runs stands: recorded and audited, not applied', async () => {
    // J_CHILD reads as running but no workflow runs it (Temporal does not find it).
    const res = await payer.post(`/journeys/${J_CHILD}/decisions/benefit/override`, { outcome: 'grant', reason: 'Ghent is in Flanders' });
    expect(res.status).toBe(200);
    expect(res.body.appliedToJourney).toBe(false);
    expect(await auditRows(`${J_CHILD}/benefit`)).toHaveLength(1);
  });
});

describe('once-only rate', () => {
  test('per journey and step, per life event, and on /metrics', async () => {
    const use = await parent.get(`/journeys/${J_CHILD}/data-use?lang=en`);
    expect(use.status).toBe(200);
    expect(use.body).toMatchObject({ fields: { prefilled: 1, asked: 1 }, onceOnlyRate: 0.5 });
    expect(use.body.steps).toEqual([
      expect.objectContaining({
        node: 'benefit',
        title: 'Birth grant',
        prefilled: [expect.objectContaining({ id: 'national-register/birthDate', title: 'Date of birth' })],
        asked: [expect.objectContaining({ id: 'national-register/address.postalCode' })],
        pending: [],
        onceOnlyRate: 0.5,
      }),
    ]);
    // A journey whose step has not fetched yet: declared fields are pending, no rate yet.
    const pending = await stranger.get(`/journeys/${J_STRANGER}/data-use`);
    expect(pending.body.onceOnlyRate).toBeUndefined();
    expect(pending.body.steps[0].pending.map((f: any) => f.id)).toEqual(['national-register/birthDate', 'national-register/address.postalCode']);
    expectProblem(await stranger.get(`/journeys/${J_CHILD}/data-use`), 404);

    const stats = await auditor.get('/stats/once-only?lifeEvent=birth');
    expect(stats.body.items).toEqual([expect.objectContaining({ lifeEvent: 'birth', journeys: 3, journeysWithData: 1, fields: { prefilled: 1, asked: 1 }, onceOnlyRate: 0.5 })]);
    expect((await auditor.get('/stats/once-only?lifeEvent=nothing')).body.items).toEqual([]);

    const metrics = await (await fetch(`${baseUrl}/metrics`)).text();
    expect(metrics).toMatch(/levensloop_once_only_fields_total\{life_event="birth",origin="prefilled"\} 1\b/);
    expect(metrics).toMatch(/levensloop_once_only_fields_total\{life_event="birth",origin="asked"\} 1\b/);
  });
});
