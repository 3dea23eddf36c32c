/**
 * Authorisation (issue 12, finding 5), on the gateway in-process (real guard, filter and
 * validation), a fresh PostgreSQL database, the real Temporal server and the sandbox's registers:
 * who sees a decision's inputs (and that each disclosure is logged), who may start a journey for
 * someone as a caseworker (with a reason, audited), catalog admins kept out of personal data,
 * and mandates with a scope and an end, granted only on the register's word.
 */
import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { startInProcessGateway, type InProcessGateway } from '../support/gateway';
import { Api, expectProblem } from '../support/http';
import { birthdayAt } from '../../activities/src/source-event/mandate-grants';
import { birthdayAtSql } from '../../libs/persistence/src/migrations/1764800000000-mandate-scope';

jest.setTimeout(90_000);

const CHILD = '24010112345';
const PARENT = '85073003328';
const READER = '70010100155'; // a read-only mandate
const SCOPED = '90010100123'; // a mandate for another life event only
const EXPIRED = '80010100171'; // a mandate that has ended
const J_BIRTH = '0b5f6c1e-0000-4000-8000-0000000000b1';
const BIRTH_EVENT = 'be.national-register.birth.registered';
const CONSENT = 'c0000000-0000-4000-8000-0000000000c1';
const CONSENT_OUTSIDE = 'c0000000-0000-4000-8000-0000000000c2'; // given outside any journey
const CONSENT_GONE = 'c0000000-0000-4000-8000-0000000000c3'; // its journey row is not there

let gateway: InProcessGateway;
let ds: DataSource;
let admin: Api, auditor: Api, payer: Api, municipality: Api, outsider: Api, parent: Api, reader: Api, scoped: Api, expired: Api, register: Api;

const t = (en: string) => ({ nl: en, en });
const law = { type: 'law', reference: 'Decreet Groeipakket 27 april 2018, art. 8' };

async function catalog() {
  for (const code of ['payer', 'municipality', 'outsider']) expect((await admin.post('/agencies', { code, names: t(code) })).status).toBe(201);
  const step = async (agency: string, body: Record<string, unknown>) => {
    expect((await admin.post(`/agencies/${agency}/steps`, { titles: t(String(body.key)), serviceNorm: { target: 'P10D' }, ...body })).status).toBe(201);
    expect((await admin.post(`/agencies/${agency}/steps/${body.key}/versions/1/publish`)).status).toBe(200);
  };
  await step('payer', {
    key: 'benefit',
    kind: 'decision',
    dataRequirements: [{ source: 'national-register', field: 'birthDate', purpose: t('Check the right'), legalBasis: law }],
    rule: {
      id: 'birth-grant',
      version: 1,
      branches: [{ when: { '!!': [{ var: 'fields.national-register.birthDate' }] }, outcome: 'grant', explanation: t('Granted: born on {national-register.birthDate} for {subject.id} in Flanders.') }],
      otherwise: { outcome: 'refer', explanation: t('No birth date.') },
    },
  });
  await step('municipality', { key: 'visit', kind: 'citizen' });
  await step('outsider', { key: 'move', kind: 'caseworker' });
  const lifeEvent = async (key: string, body: Record<string, unknown>) => {
    const created = await admin.post('/life-events', { key, audience: 'citizen', titles: t(key), ...body });
    expect(created.status).toBe(201);
    expect((await admin.post(`/life-events/${key}/versions/1/publish`)).status).toBe(200);
  };
  await lifeEvent('birth', {
    nodes: [
      { key: 'benefit', step: { agency: 'payer', key: 'benefit', version: 1 } },
      { key: 'visit', step: { agency: 'municipality', key: 'visit', version: 1 }, dependsOn: ['benefit'] },
    ],
    triggers: [{ eventType: BIRTH_EVENT, subject: { type: 'person', path: 'child.nationalNumber' }, data: { birthDate: 'child.birthDate' }, mandates: { path: 'parents', kind: 'parent' } }],
  });
  await lifeEvent('moving', { nodes: [{ key: 'move', step: { agency: 'outsider', key: 'move', version: 1 } }] });
}

/** A journey the worker would have projected, a citizen task in it, its decision and the mandates, as rows. */
async function journeyRows() {
  const q = (sql: string, params: unknown[] = []) => ds.query(sql, params);
  await q(
    `INSERT INTO journeys (id, idempotency_key, life_event_key, life_event_version, title, subject_type, subject_id, status, agencies, started_at, started_by, data, updated_at)
     VALUES ($1::uuid, $1::text, 'birth', 1, $2, 'person', $3, 'running', '{payer,municipality}', now(), 'source:national-register', '{}', now())`,
    [J_BIRTH, t('Birth'), CHILD],
  );
  await q(
    `INSERT INTO journey_steps (journey_id, node_key, agency, kind, status, title) VALUES
       ($1, 'benefit', 'payer', 'caseworker', 'completed', $2), ($1, 'visit', 'municipality', 'citizen', 'waiting', $3)`,
    [J_BIRTH, t('Benefit'), t('Visit')],
  );
  await q(
    `INSERT INTO tasks (id, journey_id, node_key, agency, assignee, subject_type, subject_id, status, title, created_at)
     VALUES ($1, $2, 'visit', 'municipality', 'citizen', 'person', $3, 'open', $4, now())`,
    [`${J_BIRTH}:visit`, J_BIRTH, CHILD, t('Visit')],
  );
  await q(
    `INSERT INTO decisions (journey_id, node_key, subject_type, subject_id, agency, step_key, step_version, rule_id, rule_version, inputs, outcome, branch, explanation)
     VALUES ($1, 'benefit', 'person', $2, 'payer', 'benefit', 1, 'birth-grant', 1, $3, 'grant', 0, $4)`,
    [
      J_BIRTH,
      CHILD,
      { fields: [{ source: 'national-register', field: 'birthDate', value: '2024-01-01', origin: 'source' }, { source: 'address-register', field: 'region', value: 'BE-VLG', origin: 'source' }], data: {} },
      t(`Granted: born on 2024-01-01 for ${CHILD} in Flanders.`),
    ],
  );
  await q(
    `INSERT INTO mandates (holder_id, subject_type, subject_id, kind, source, valid_from, valid_until, access, life_events) VALUES
       ($1, 'person', $5, 'parent', 'test', now() - interval '1 day', now() + interval '10 years', 'act', NULL),
       ($2, 'person', $5, 'guardian', 'test', now() - interval '1 day', NULL, 'read', NULL),
       ($3, 'person', $5, 'representative', 'test', now() - interval '1 day', NULL, 'act', '{moving}'),
       ($4, 'person', $5, 'guardian', 'test', now() - interval '2 years', now() - interval '1 day', 'act', NULL)`,
    [PARENT, READER, SCOPED, EXPIRED, CHILD],
  );
  await q(
    `INSERT INTO consents (id, subject_type, subject_id, agency, step_key, source, field, status, journey_id, node_key, given_by)
     VALUES ($1, 'person', $2, 'payer', 'benefit', 'national-register', 'contact.phone', 'granted', $3, 'benefit', 'parent')`,
    [CONSENT, CHILD, J_BIRTH],
  );
  await q(
    `INSERT INTO consents (id, subject_type, subject_id, agency, step_key, source, field, status, journey_id, node_key, given_by, given_at) VALUES
       ($1, 'person', $3, 'payer', 'benefit', 'national-register', 'contact.email', 'granted', NULL, NULL, 'parent', now() - interval '1 minute'),
       ($2, 'person', $3, 'payer', 'benefit', 'national-register', 'contact.address', 'granted', $4, 'benefit', 'parent', now() - interval '2 minutes')`,
    [CONSENT_OUTSIDE, CONSENT_GONE, CHILD, randomUUID()],
  );
}

beforeAll(async () => {
  gateway = await startInProcessGateway('authorisation');
  ds = gateway.ds;
  const as = gateway.as;
  [admin, auditor, payer, municipality, outsider, parent, reader, scoped, expired, register] = await Promise.all([
    as({ role: 'catalog-admin', sub: 'admin' }),
    as({ role: 'auditor', sub: 'auditor' }),
    as({ role: 'caseworker', agency: 'payer', sub: 'cw-payer' }),
    as({ role: 'caseworker', agency: 'municipality', sub: 'cw-municipality' }),
    as({ role: 'caseworker', agency: 'outsider', sub: 'cw-outsider' }),
    as({ role: 'citizen', nationalNumber: PARENT, sub: 'parent' }),
    as({ role: 'citizen', nationalNumber: READER, sub: 'reader' }),
    as({ role: 'citizen', nationalNumber: SCOPED, sub: 'scoped' }),
    as({ role: 'citizen', nationalNumber: EXPIRED, sub: 'expired' }),
    as({ role: 'source', source: 'national-register', sub: 'national-register' }),
  ]);
  await catalog();
  await journeyRows();
});

afterAll(async () => {
  await gateway?.close();
});

const disclosures = (actor: string) => ds.query(`SELECT * FROM data_access_log WHERE journey_id = $1 AND actor = $2 ORDER BY id`, [J_BIRTH, actor]);
const auditOf = (target: string) => ds.query(`SELECT * FROM audit_log WHERE target_id = $1 ORDER BY id`, [target]);

describe('decision inputs', () => {
  test('a caseworker of an involved agency that did not decide sees the decision without its inputs, nor their values in the explanation, and nothing is logged', async () => {
    const res = await municipality.get(`/journeys/${J_BIRTH}/decisions?lang=en`);
    expect(res.status).toBe(200);
    expect(res.body.items).toHaveLength(1);
    expect(res.body.items[0]).toMatchObject({ node: 'benefit', outcome: 'grant', rule: { id: 'birth-grant', version: 1 }, decided: { outcome: 'grant', explanation: 'Granted: born on … for … in Flanders.' } });
    expect(res.body.items[0]).not.toHaveProperty('inputs');
    expect(JSON.stringify(res.body.items[0].decided)).not.toContain('2024-01-01');
    expect(JSON.stringify(res.body)).not.toContain('BE-VLG');
    expect(await disclosures('cw-municipality')).toEqual([]);
  });

  test('a caseworker of the deciding agency sees the inputs, and the disclosure is in the access log', async () => {
    const res = await payer.get(`/journeys/${J_BIRTH}/decisions?lang=en`);
    expect(res.status).toBe(200);
    expect(res.body.items[0].inputs.fields.map((f: any) => [f.id, f.value])).toEqual([
      ['national-register/birthDate', '2024-01-01'],
      ['address-register/region', 'BE-VLG'],
    ]);
    const rows = await disclosures('cw-payer');
    expect(rows.map((r: any) => [r.actor_kind, r.agency, r.node_key, r.source, r.fields, r.outcome])).toEqual([
      ['caseworker', 'payer', 'benefit', 'national-register', ['birthDate'], 'granted'],
      ['caseworker', 'payer', 'benefit', 'address-register', ['region'], 'granted'],
    ]);
    // The step's own legal basis covers the field it declared.
    expect(rows[0].legal_basis).toEqual(law);
    // The subject's representative sees who read the child's data for the decision.
    const seen = (await parent.get(`/me/data-access?journey=${J_BIRTH}&lang=en`)).body.items;
    expect(seen.filter((e: any) => e.actor.caseworker === 'cw-payer')).toHaveLength(2);
  });

  test('the mandate holder and the auditor see the inputs, each disclosure logged; a catalog admin does not see the journey at all', async () => {
    expect((await parent.get(`/journeys/${J_BIRTH}/decisions`)).body.items[0].inputs.fields).toHaveLength(2);
    expect((await disclosures('parent')).map((r: any) => r.actor_kind)).toEqual(['citizen', 'citizen']);
    expect((await auditor.get(`/journeys/${J_BIRTH}/decisions`)).body.items[0].inputs.fields).toHaveLength(2);
    expect((await disclosures('auditor')).map((r: any) => r.actor_kind)).toEqual(['auditor', 'auditor']);
    expectProblem(await admin.get(`/journeys/${J_BIRTH}/decisions`), 404);
    expectProblem(await outsider.get(`/journeys/${J_BIRTH}/decisions`), 404);
  });
});

describe('catalog admins administer the catalog; personal data is for auditors', () => {
  test('a catalog admin is refused the logs, journeys and their data; an auditor reads them', async () => {
    expectProblem(await admin.get('/data-access'), 403);
    expectProblem(await admin.get('/audit'), 403);
    expectProblem(await admin.get('/journeys'), 403);
    for (const path of [`/journeys/${J_BIRTH}`, `/journeys/${J_BIRTH}/data-access`, `/journeys/${J_BIRTH}/data-use`, `/journeys/${J_BIRTH}/notifications`]) {
      expectProblem(await admin.get(path), 404);
    }
    expectProblem(await admin.get(`/tasks/${J_BIRTH}:visit`), 404);
    expectProblem(await admin.get(`/events/national-register/${randomUUID()}`), 403);

    expect((await auditor.get('/data-access')).status).toBe(200);
    expect((await auditor.get('/audit')).status).toBe(200);
    expect((await auditor.get('/journeys')).body.items.map((j: any) => j.id)).toContain(J_BIRTH);
    expect((await auditor.get(`/journeys/${J_BIRTH}`)).status).toBe(200);
  });

  test('a catalog admin starts a journey for someone only with a reason (audited), and replaying the start does not read its progress', async () => {
    const key = randomUUID();
    const withoutReason = { lifeEvent: { key: 'moving' }, subject: { type: 'person', id: '85073003328' } };
    const refused = await admin.post('/journeys', withoutReason, { 'idempotency-key': key });
    expect(refused.status).toBe(400);
    expect(refused.body.errors).toEqual([expect.objectContaining({ path: '/reason' })]);
    const body = { ...withoutReason, reason: 'Started for the test of separation of duties' };
    const started = await admin.post('/journeys', body, { 'idempotency-key': key });
    expect(started.status).toBe(201);
    const [audit] = await ds.query(`SELECT actor, detail FROM audit_log WHERE action = 'journey.started' AND target_id = $1`, [started.body.id]);
    expect(audit).toMatchObject({ detail: { role: 'catalog-admin', reason: body.reason } });
    const replay = await admin.post('/journeys', body, { 'idempotency-key': key });
    expect(replay.status).toBe(200);
    expect(replay.body).toMatchObject({ lifeEvent: { key: 'moving' }, status: expect.any(String) });
    expect(replay.body).not.toHaveProperty('steps');
    expect(replay.body).not.toHaveProperty('timeline');
    expectProblem(await admin.get(`/journeys/${replay.body.id}`), 404);
  });

  test('what the catalog needs stays open to them: steps, life events, agencies, sources, templates, aggregate figures', async () => {
    for (const path of ['/steps?status=published', '/life-events/birth', '/sources', '/notification-templates', '/stats/journeys', '/stats/once-only']) {
      expect([path, (await admin.get(path)).status]).toEqual([path, 200]);
    }
  });
});

describe('a caseworker starts a journey', () => {
  const start = (api: Api, body: Record<string, unknown>, key = randomUUID()) =>
    api.post('/journeys', { lifeEvent: { key: 'birth' }, subject: { type: 'person', id: '85073003328' }, ...body }, { 'idempotency-key': key });
  const journeysStartedBy = async (sub: string) => (await ds.query(`SELECT count(*)::int AS n FROM journeys WHERE started_by = $1`, [sub]))[0].n;

  test('without a reason: 400 at /reason, nothing started', async () => {
    const res = expectProblem(await start(municipality, {}), 400);
    expect(res.errors).toEqual([{ path: '/reason', message: expect.stringContaining('required') }]);
    expectProblem(await start(municipality, { reason: '  ' }), 400);
    expect(await journeysStartedBy('cw-municipality')).toBe(0);
  });

  test('for a life event in which their agency has no step: 403, nothing started', async () => {
    const res = expectProblem(await start(outsider, { reason: 'The citizen asked at our counter.' }), 403);
    expect(res.detail).toMatch(/'outsider' has no step in life event 'birth'/);
    expect(await journeysStartedBy('cw-outsider')).toBe(0);
  });

  test('for a life event of their agency, with a reason: started and audited once (who, agency, life event, subject, reason)', async () => {
    const key = randomUUID();
    const res = await start(municipality, { reason: 'The citizen asked at our counter.' }, key);
    expect(res.status).toBe(201);
    const again = await start(municipality, { reason: 'The citizen asked at our counter.' }, key);
    expect(again.status).toBe(200);
    expect(again.body.id).toBe(res.body.id);
    const audit = await auditOf(res.body.id);
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actor: 'cw-municipality', action: 'journey.started', target_type: 'journey' });
    expect(audit[0].detail).toEqual({
      role: 'caseworker',
      agency: 'municipality',
      lifeEvent: { key: 'birth', version: 1 },
      subject: { type: 'person', id: '85073003328' },
      reason: 'The citizen asked at our counter.',
    });
    expect((await auditor.get(`/audit?target=${res.body.id}`)).body.items.map((a: any) => a.action)).toEqual(['journey.started']);
  });
});

describe('mandates: a holder acts only within scope, and an ended mandate gives nothing', () => {
  test('GET /me/mandates shows kind, scope and end', async () => {
    const held = (await parent.get('/me/mandates')).body.held;
    expect(held).toEqual([expect.objectContaining({ subject: { type: 'person', id: CHILD }, kind: 'parent', scope: { lifeEvents: 'all', access: 'act' }, validUntil: expect.any(String) })]);
    expect((await reader.get('/me/mandates')).body.held[0]).toMatchObject({ kind: 'guardian', scope: { lifeEvents: 'all', access: 'read' } });
    expect((await scoped.get('/me/mandates')).body.held[0]).toMatchObject({ scope: { lifeEvents: ['moving'], access: 'act' } });
    expect((await expired.get('/me/mandates')).body.held).toEqual([]);
  });

  test('a holder outside the life-event scope is refused the journey, its decisions and its task', async () => {
    expectProblem(await scoped.get(`/journeys/${J_BIRTH}`), 404);
    expectProblem(await scoped.get(`/journeys/${J_BIRTH}/decisions`), 404);
    expectProblem(await scoped.get(`/tasks/${J_BIRTH}:visit`), 404);
    expect((await scoped.get('/journeys')).body.items).toEqual([]);
    expect((await scoped.get('/tasks')).body.items).toEqual([]);
    // Nor who read the child's data for that journey (the parent, whose mandate covers it, does).
    expect((await parent.get(`/me/data-access?subject=${CHILD}`)).body.items.filter((e: any) => e.journey?.id === J_BIRTH).length).toBeGreaterThan(0);
    expect((await scoped.get(`/me/data-access?subject=${CHILD}`)).body.items).toEqual([]);
  });

  test('an expired mandate is refused', async () => {
    expectProblem(await expired.get(`/journeys/${J_BIRTH}`), 404);
    expectProblem(await expired.post(`/tasks/${J_BIRTH}:visit/complete`, { outcome: 'approve' }), 404);
    expect((await expired.get('/journeys')).body.items).toEqual([]);
  });

  test('a read-only mandate reads the journey and its task but cannot complete it; an acting one gets past the check', async () => {
    expect((await reader.get(`/journeys/${J_BIRTH}`)).status).toBe(200);
    expect((await reader.get(`/tasks/${J_BIRTH}:visit`)).status).toBe(200);
    const refused = expectProblem(await reader.post(`/tasks/${J_BIRTH}:visit/complete`, { outcome: 'approve' }), 403);
    expect(refused.detail).toMatch(/read-only mandate/);
    // The parent may act: the journey is then asked (no workflow runs it here: 409).
    expectProblem(await parent.post(`/tasks/${J_BIRTH}:visit/complete`, { outcome: 'approve' }), 409);
  });

  test('withdrawing a consent acts for the subject: not with a read-only mandate, nor one for another life event', async () => {
    expect((await reader.get('/me/consents')).body.items.map((c: any) => c.id).sort()).toEqual([CONSENT, CONSENT_OUTSIDE, CONSENT_GONE].sort());
    expectProblem(await reader.post(`/me/consents/${CONSENT}/withdraw`), 404);
    expectProblem(await scoped.post(`/me/consents/${CONSENT}/withdraw`), 404);
    expect((await ds.query(`SELECT status FROM consents WHERE id = $1`, [CONSENT]))[0].status).toBe('granted');
    expect((await parent.post(`/me/consents/${CONSENT}/withdraw`)).body).toMatchObject({ id: CONSENT, status: 'withdrawn' });
  });

  test('a mandate for another life event lists none of the subject’s consents of other journeys, nor those outside a journey', async () => {
    const res = await scoped.get('/me/consents');
    expect(res.status).toBe(200);
    expect(res.body.items).toEqual([]);
  });

  test('a consent outside any journey, or of a journey no longer there, is withdrawn only through a mandate over every life event', async () => {
    for (const id of [CONSENT_OUTSIDE, CONSENT_GONE]) expectProblem(await scoped.post(`/me/consents/${id}/withdraw`), 404);
    expect((await ds.query(`SELECT status FROM consents WHERE id = ANY($1) ORDER BY id`, [[CONSENT_OUTSIDE, CONSENT_GONE]])).map((r: any) => r.status)).toEqual(['granted', 'granted']);
    for (const id of [CONSENT_OUTSIDE, CONSENT_GONE]) expect((await parent.post(`/me/consents/${id}/withdraw`)).body).toMatchObject({ id, status: 'withdrawn' });
  });
});

describe('mandates from a birth event, on the register’s word', () => {
  test('a declared parent the national register does not know as the child’s parent gets no mandate, and the event and the audit log say so', async () => {
    const examples: any = await (await fetch(`${gateway.sandbox.url}/_sandbox/population/examples`)).json();
    const [mother] = examples.flemishCouple.parents as string[];
    const stranger: string = examples.personWithoutContact;
    // The register records the birth to the mother alone; the event (as tampered with) names a stranger too.
    const registered = await fetch(`${gateway.sandbox.url}/_sandbox/events/births`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ parents: [mother], deliver: false }) });
    expect(registered.status).toBe(201);
    const { event } = (await registered.json()) as any;
    const child: string = event.data.child.nationalNumber;
    const res = await register.post('/events', { ...event, data: { ...event.data, parents: [mother, stranger] } }, { 'content-type': 'application/cloudevents+json' });
    expect(res.status).toBe(202);
    expect(res.body.status).toBe('processed');
    expect(res.body.result.mandates).toEqual([
      { holderId: mother, subjectId: child, kind: 'parent', action: 'granted' },
      { holderId: stranger, subjectId: child, kind: 'parent', action: 'refused', reason: expect.stringContaining(`national-register does not name ${stranger} as a parent`) },
    ]);

    const rows = await ds.query(`SELECT holder_id, valid_until, access, life_events FROM mandates WHERE subject_id = $1`, [child]);
    const [y, m, d] = (event.data.child.birthDate as string).split('-');
    expect(rows).toEqual([{ holder_id: mother, valid_until: new Date(`${Number(y) + 18}-${m}-${d}T00:00:00Z`), access: 'act', life_events: null }]);

    const audit = await ds.query(`SELECT action, actor, target_id, detail FROM audit_log WHERE target_type = 'mandate' AND target_id LIKE $1 ORDER BY id`, [`${child}/%`]);
    expect(audit.map((a: any) => [a.action, a.actor, a.target_id])).toEqual([
      ['mandate.granted', 'source:national-register', `${child}/${mother}/parent`],
      ['mandate.refused', 'source:national-register', `${child}/${stranger}/parent`],
    ]);
    expect(audit[1].detail.reason).toMatch(/does not name/);
    // The register read that confirmed it is on the child's access log.
    // Logged as requested before the read, its outcome after it.
    const reads = await ds.query(`SELECT source, fields, outcome FROM data_access_log WHERE subject_id = $1 AND actor = 'levensloop/mandates' ORDER BY id`, [child]);
    expect(reads).toEqual(['requested', 'granted'].map((outcome) => ({ source: 'national-register', fields: ['family.parents', 'birthDate'], outcome })));

    // The stranger does not see the child's journey; the mother does.
    const journeyId = res.body.result.started[0].journeyId;
    const asStranger = await gateway.as({ role: 'citizen', nationalNumber: stranger, sub: 'stranger' });
    const asMother = await gateway.as({ role: 'citizen', nationalNumber: mother, sub: 'mother' });
    expectProblem(await asStranger.get(`/journeys/${journeyId}`), 404);
    expect((await asMother.get(`/journeys/${journeyId}`)).status).toBe(200);
  });

  test('a register that cannot answer grants nothing: the event waits for a retry, and the failed read is logged', async () => {
    const examples: any = await (await fetch(`${gateway.sandbox.url}/_sandbox/population/examples`)).json();
    const [mother] = examples.singleParent.parents as string[];
    const child = gateway.sandbox.population.registerBirth([mother], new Date().toISOString().slice(0, 10)).nationalNumber;
    const behaviour = `${gateway.sandbox.url}/_sandbox/sources/national-register/behaviour`;
    expect((await fetch(behaviour, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ failWith: 503 }) })).ok).toBe(true);
    try {
      const event = { specversion: '1.0', id: randomUUID(), source: 'national-register', type: BIRTH_EVENT, data: { child: { nationalNumber: child, birthDate: '2026-12-01' }, parents: [mother] } };
      const res = await register.post('/events', event, { 'content-type': 'application/cloudevents+json' });
      expect(res.status).toBe(202);
      expect(res.body).toMatchObject({ status: 'received', retry: expect.stringContaining('register cannot confirm') });
      expect(await ds.query(`SELECT 1 FROM mandates WHERE subject_id = $1`, [child])).toEqual([]);
      expect(await ds.query(`SELECT 1 FROM journeys WHERE subject_id = $1`, [child])).toEqual([]);
      expect((await ds.query(`SELECT outcome FROM data_access_log WHERE subject_id = $1 AND actor = 'levensloop/mandates' ORDER BY id`, [child])).map((r: any) => r.outcome)).toEqual(['requested', 'failed']);
    } finally {
      await fetch(behaviour, { method: 'DELETE' });
    }
  });

  test('a confirmed grant of a mandate that has ended renews it (new end and scope), audited; one that still runs and covers it existed', async () => {
    const examples: any = await (await fetch(`${gateway.sandbox.url}/_sandbox/population/examples`)).json();
    const [mother] = examples.flemishCouple.parents as string[];
    const born = new Date().toISOString().slice(0, 10);
    const child = gateway.sandbox.population.registerBirth([mother], born).nationalNumber;
    const publish = async () => {
      const event = { specversion: '1.0', id: randomUUID(), source: 'national-register', type: BIRTH_EVENT, data: { child: { nationalNumber: child, birthDate: born }, parents: [mother] } };
      const res = await register.post('/events', event, { 'content-type': 'application/cloudevents+json' });
      expect(res.status).toBe(202);
      return res.body.result.mandates.filter((m: any) => m.kind === 'parent');
    };
    expect(await publish()).toEqual([{ holderId: mother, subjectId: child, kind: 'parent', action: 'granted' }]);
    // Ended (as a revocation leaves it), and narrowed.
    await ds.query(`UPDATE mandates SET valid_until = now() - interval '1 day', access = 'read', life_events = '{moving}' WHERE subject_id = $1 AND kind = 'parent'`, [child]);
    expect(await publish()).toEqual([{ holderId: mother, subjectId: child, kind: 'parent', action: 'renewed' }]);
    const [y, m, d] = born.split('-');
    expect(await ds.query(`SELECT access, life_events, valid_until, valid_from <= now() AS started FROM mandates WHERE subject_id = $1 AND kind = 'parent'`, [child])).toEqual([
      { access: 'act', life_events: null, valid_until: new Date(`${Number(y) + 18}-${m}-${d}T00:00:00Z`), started: true },
    ]);
    const asMother = await gateway.as({ role: 'citizen', nationalNumber: mother, sub: 'mother-renewed' });
    expect((await asMother.get('/me/mandates')).body.held).toEqual(expect.arrayContaining([expect.objectContaining({ subject: { type: 'person', id: child }, kind: 'parent' })]));
    const audit = await ds.query(`SELECT action, detail FROM audit_log WHERE target_type = 'mandate' AND target_id = $1 ORDER BY id`, [`${child}/${mother}/parent`]);
    expect(audit.map((a: any) => a.action)).toEqual(['mandate.granted', 'mandate.renewed']);
    expect(audit[1].detail.previous).toMatchObject({ scope: { lifeEvents: ['moving'], access: 'read' }, ended: true });
    // Running and covering what is asked: nothing changes.
    expect(await publish()).toEqual([{ holderId: mother, subjectId: child, kind: 'parent', action: 'existed' }]);
  });

  test("a parent's mandate ends at the child's 18th birthday: for a child of age the register's parent gets none, and sees nothing", async () => {
    const examples: any = await (await fetch(`${gateway.sandbox.url}/_sandbox/population/examples`)).json();
    const [father] = examples.walloonCouple.parents as string[];
    // Registered in the register as born 19 years ago (the event's own date says otherwise).
    const born = `${new Date().getUTCFullYear() - 19}-03-01`;
    const adult = gateway.sandbox.population.registerBirth([father], born).nationalNumber;
    const event = { specversion: '1.0', id: randomUUID(), source: 'national-register', type: BIRTH_EVENT, data: { child: { nationalNumber: adult, birthDate: '2026-11-30' }, parents: [father] } };
    const res = await register.post('/events', event, { 'content-type': 'application/cloudevents+json' });
    expect(res.status).toBe(202);
    expect(res.body.result.mandates).toEqual([expect.objectContaining({ holderId: father, action: 'refused', reason: expect.stringContaining('came of age') })]);
    expect(await ds.query(`SELECT holder_id FROM mandates WHERE subject_id = $1`, [adult])).toEqual([]);
    const asFather = await gateway.as({ role: 'citizen', nationalNumber: father, sub: 'father' });
    expectProblem(await asFather.get(`/journeys/${res.body.result.started[0].journeyId}`), 404);
  });

  test("a trigger gives its mandates a scope: read-only, for the life events it names", async () => {
    const created = await admin.post('/life-events', {
      key: 'birth-followup',
      audience: 'citizen',
      titles: t('Follow-up'),
      nodes: [{ key: 'visit', step: { agency: 'municipality', key: 'visit', version: 1 } }],
      triggers: [{ eventType: BIRTH_EVENT, subject: { type: 'person', path: 'child.nationalNumber' }, mandates: { path: 'parents', kind: 'observer', access: 'read', lifeEvents: ['birth-followup'] } }],
    });
    expect(created.status).toBe(201);
    expect((await admin.post('/life-events/birth-followup/versions/1/publish')).status).toBe(200);
    const bad = expectProblem(await admin.post('/life-events', { key: 'bad-scope', audience: 'citizen', titles: t('x'), nodes: [{ key: 'visit', step: { agency: 'municipality', key: 'visit', version: 1 } }], triggers: [{ eventType: BIRTH_EVENT, subject: { type: 'person', path: 'child.nationalNumber' }, mandates: { path: 'parents', kind: 'observer', access: 'write' } }] }), 422);
    expect(bad.errors!.map((e) => e.path)).toEqual(['/triggers/0/mandates/access']);

    const examples: any = await (await fetch(`${gateway.sandbox.url}/_sandbox/population/examples`)).json();
    const [mother] = examples.brusselsCouple.parents as string[];
    const registered = await fetch(`${gateway.sandbox.url}/_sandbox/events/births`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ parents: [mother], deliver: false }) });
    const { event } = (await registered.json()) as any;
    const res = await register.post('/events', event, { 'content-type': 'application/cloudevents+json' });
    expect(res.status).toBe(202);
    const rows = await ds.query(`SELECT kind, access, life_events FROM mandates WHERE subject_id = $1 ORDER BY kind`, [event.data.child.nationalNumber]);
    expect(rows).toEqual([
      { kind: 'observer', access: 'read', life_events: ['birth-followup'] },
      { kind: 'parent', access: 'act', life_events: null },
    ]);
  });
});

describe("the migration's end of existing parents' mandates", () => {
  test("is the gateway's: midnight UTC on the 18th birthday, 29 February → 1 March", async () => {
    const dates = ['2026-11-24', '2024-02-29', '2008-12-31', '2000-01-01'];
    const [row] = await ds.query(`SELECT ARRAY[${dates.map((_, i) => birthdayAtSql(`$${i + 1}::text`, 18)).join(', ')}] AS ends`, dates);
    expect(row.ends.map((d: Date) => d.toISOString())).toEqual(dates.map((d) => birthdayAt(d, 18)));
    expect(row.ends[1].toISOString()).toBe('2042-03-01T00:00:00.000Z');
  });
});
