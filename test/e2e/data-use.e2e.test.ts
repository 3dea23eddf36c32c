/**
 * Data use end to end: the worker fetches a step's declared fields from the sandbox registers
 * (logging each read) and decides by rule; over HTTP, a mandate holder reads who consulted the
 * data and why, a stranger reads nothing, a caseworker reads only declared fields, and a decision
 * is overridden on the running journey (and undone when the journey refuses it), audited.
 */
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { createTestDatabase } from '../support/database';
import { nationalNumber } from '../support/events';
import { expectProblem, type Api } from '../support/http';
import { pollUntil } from '../support/poll';
import { startStack, type Stack } from '../support/stack';

jest.setTimeout(180_000);

const run = randomUUID().slice(0, 6);
const agency = `growth-${run}`;
const lifeEvent = `care-${run}`;
const HOLDER = nationalNumber('1961-02-03', 41);
const STRANGER = nationalNumber('1972-05-06', 52);
let subject: string;
let db: { url: string; drop: () => Promise<void> };
let pg: Client;
let stack: Stack;
let admin: Api, auditor: Api, holder: Api, stranger: Api, caseworker: Api, otherCaseworker: Api;
let journeyId: string;

const titles = (nl: string, en: string) => ({ nl, en });
const birthDate = {
  source: 'national-register',
  field: 'birthDate',
  purpose: titles('Nagaan of de toelage van toepassing is', 'Check whether the allowance applies'),
  legalBasis: { type: 'law', reference: 'Decreet Groeipakket 27 april 2018, art. 8' },
};
const explanation = (nl: string, en: string) => titles(nl, en);

beforeAll(async () => {
  db = await createTestDatabase('e2e_data_use');
  stack = await startStack(db.url, 'data-use');
  pg = new Client({ connectionString: db.url });
  await pg.connect();
  admin = stack.api.as(await stack.token({ role: 'catalog-admin', sub: 'admin' }));
  auditor = stack.api.as(await stack.token({ role: 'auditor', sub: 'auditor' }));
  holder = stack.api.as(await stack.token({ role: 'citizen', nationalNumber: HOLDER, sub: 'holder' }));
  stranger = stack.api.as(await stack.token({ role: 'citizen', nationalNumber: STRANGER, sub: 'stranger' }));
  caseworker = stack.api.as(await stack.token({ role: 'caseworker', agency, sub: 'cw-growth' }));
  otherCaseworker = stack.api.as(await stack.token({ role: 'caseworker', agency: `other-${run}`, sub: 'cw-other' }));
  subject = ((await (await fetch(`${stack.sandboxUrl}/_sandbox/population/examples`)).json()) as { elderlyPerson: string }).elderlyPerson;

  expect((await admin.post('/agencies', { code: agency, names: titles('Groeipakket', 'Growth package') })).status).toBe(201);
  const step = async (body: Record<string, unknown>) => {
    expect((await admin.post(`/agencies/${agency}/steps`, body)).status).toBe(201);
    expect((await admin.post(`/agencies/${agency}/steps/${body.key}/versions/1/publish`)).status).toBe(200);
  };
  await step({
    key: 'allowance',
    kind: 'decision',
    titles: titles('Toelage', 'Allowance'),
    serviceNorm: { target: 'P5D' },
    dataRequirements: [birthDate],
    rule: {
      id: `allowance-${run}`,
      version: 3,
      branches: [{ when: { '!!': [{ var: 'fields.national-register.birthDate' }] }, outcome: 'grant', explanation: explanation('Toegekend: geboren op {fields.national-register.birthDate}.', 'Granted: born on {fields.national-register.birthDate}.') }],
      otherwise: { outcome: 'refer', explanation: explanation('Een medewerker beslist.', 'A caseworker decides.') },
    },
  });
  await step({
    key: 'supplement',
    kind: 'decision',
    titles: titles('Toeslag', 'Supplement'),
    serviceNorm: { target: 'P5D' },
    dataRequirements: [birthDate],
    rule: {
      id: `supplement-${run}`,
      version: 1,
      branches: [{ when: { '==': [{ var: 'data.exceptional' }, true] }, outcome: 'grant', explanation: explanation('Uitzonderlijk toegekend.', 'Granted as an exception.') }],
      otherwise: { outcome: 'refer', explanation: explanation('Een medewerker beslist over de toeslag.', 'A caseworker decides on the supplement.') },
    },
  });
  await step({ key: 'review', kind: 'caseworker', titles: titles('Nazicht', 'Review'), serviceNorm: { target: 'P10D' } });
  expect(
    (
      await admin.post('/life-events', {
        key: lifeEvent,
        audience: 'citizen',
        titles: titles('Zorg', 'Care'),
        nodes: [
          { key: 'allowance', step: { agency, key: 'allowance', version: 1 } },
          { key: 'supplement', step: { agency, key: 'supplement', version: 1 } },
          { key: 'review', step: { agency, key: 'review', version: 1 } },
        ],
      })
    ).status,
  ).toBe(201);
  expect((await admin.post(`/life-events/${lifeEvent}/versions/1/publish`)).status).toBe(200);

  // The holder represents the subject (e.g. a guardian); the source-events module writes such rows.
  await pg.query(`INSERT INTO mandates (holder_id, subject_type, subject_id, kind, source) VALUES ($1, 'person', $2, 'guardian', 'test')`, [HOLDER, subject]);
  const started = await admin.post('/journeys', { lifeEvent: { key: lifeEvent }, subject: { type: 'person', id: subject }, reason: 'data use test' }, { 'idempotency-key': randomUUID() });
  expect(started.status).toBe(201);
  journeyId = started.body.id;
  await pollUntil('both decisions', async () => ((await holder.get(`/journeys/${journeyId}/decisions`)).body.items?.length === 2 ? true : undefined), { timeoutMs: 60_000 });
});

afterAll(async () => {
  await pg?.end();
  await stack?.stop();
  await db?.drop();
});

test('the holder reads who consulted the subject’s data and why; a stranger reads nothing; the auditor reads it all', async () => {
  const mine = await holder.get('/me/data-access?lang=en');
  expect(mine.status).toBe(200);
  // The engine's fetches (the holder's own reads of the decisions' inputs are logged as well).
  const entries = mine.body.items.filter((e: any) => e.journey?.id === journeyId && e.actor.kind === 'step');
  expect(entries.length).toBeGreaterThanOrEqual(2); // one fetch per step
  for (const e of entries) {
    expect(e).toMatchObject({
      subject: { id: subject, relation: 'mandate', mandateKinds: ['guardian'] },
      journey: { id: journeyId, title: 'Care' },
      agency: { code: agency, name: 'Growth package' },
      actor: { kind: 'step' },
      source: { key: 'national-register', title: 'National register of persons' },
      fields: [{ id: 'national-register/birthDate', title: 'Date of birth' }],
      purpose: 'Check whether the allowance applies',
      legalBasis: { type: 'law', reference: birthDate.legalBasis.reference, explanation: `A law allows this: ${birthDate.legalBasis.reference}.` },
      outcome: 'granted',
    });
  }
  expect(entries.map((e: any) => e.step.title).sort()).toEqual(['Allowance', 'Supplement']);

  expect((await stranger.get('/me/data-access')).body.items).toEqual([]);
  expect((await stranger.get(`/me/data-access?subject=${subject}&journey=${journeyId}`)).body.items).toEqual([]);
  expectProblem(await stranger.get(`/journeys/${journeyId}/decisions`), 404);
  const audited = await auditor.get(`/data-access?journey=${journeyId}`);
  expect(audited.body.items.filter((e: any) => e.actor.kind === 'step').map((e: any) => e.id).sort()).toEqual(entries.map((e: any) => e.id).sort());
  // The decisions' inputs the holder read are on record too, as read by a representative.
  expect(audited.body.items.filter((e: any) => e.actor.kind === 'citizen').length).toBeGreaterThanOrEqual(1);
});

test('a caseworker reads declared fields only; every read is logged, the refused ones too', async () => {
  const ok = await caseworker.get(`/journeys/${journeyId}/steps/allowance/data?fields=national-register/birthDate`);
  expect(ok.status).toBe(200);
  expect(ok.body.fields[0]).toMatchObject({ id: 'national-register/birthDate', origin: 'prefilled' });
  expect(ok.body.fields[0].value).toMatch(/^\d{4}-\d{2}-\d{2}$/);

  const refused = expectProblem(await caseworker.get(`/journeys/${journeyId}/steps/allowance/data?fields=national-register/address`), 403);
  expect(refused.detail).toMatch(/national-register\/address/);
  expectProblem(await otherCaseworker.get(`/journeys/${journeyId}/steps/allowance/data?fields=national-register/birthDate`), 403);

  const rows = (await pg.query(`SELECT actor, actor_kind, outcome, fields FROM data_access_log WHERE journey_id = $1 AND actor_kind = 'caseworker' ORDER BY id`, [journeyId])).rows;
  expect(rows).toEqual([
    { actor: 'cw-growth', actor_kind: 'caseworker', outcome: 'granted', fields: ['birthDate'] },
    { actor: 'cw-growth', actor_kind: 'caseworker', outcome: 'refused', fields: ['address'] },
    { actor: 'cw-other', actor_kind: 'caseworker', outcome: 'refused', fields: ['birthDate'] },
  ]);
  const seen = await holder.get(`/me/data-access?journey=${journeyId}&outcome=refused`);
  expect(seen.body.items.map((e: any) => e.actor.caseworker).sort()).toEqual(['cw-growth', 'cw-other']);
});

test("a journey's access log is read by whoever may see the journey: its agency's caseworkers, the mandate holder, auditors; nobody else", async () => {
  const all = (await auditor.get(`/data-access?journey=${journeyId}&lang=en`)).body.items;
  expect(all.length).toBeGreaterThanOrEqual(5); // two fetches by the engine, three reads by caseworkers

  const read = await caseworker.get(`/journeys/${journeyId}/data-access?lang=en`);
  expect(read.status).toBe(200);
  expect(read.body.items).toEqual(all);
  // Which agency (or caseworker) read which field, for which step, why and when.
  const fetched = read.body.items.filter((e: any) => e.actor.kind === 'step');
  expect(fetched.map((e: any) => e.step.title).sort()).toEqual(['Allowance', 'Supplement']);
  for (const e of fetched) {
    expect(e).toMatchObject({ agency: { code: agency, name: 'Growth package' }, fields: [{ id: 'national-register/birthDate', title: 'Date of birth' }], purpose: 'Check whether the allowance applies', outcome: 'granted' });
    expect(Date.parse(e.at)).not.toBeNaN();
  }
  const refused = await caseworker.get(`/journeys/${journeyId}/data-access?outcome=refused`);
  expect(refused.body.items.map((e: any) => e.actor.caseworker).sort()).toEqual(['cw-growth', 'cw-other']);
  const firstPage = await caseworker.get(`/journeys/${journeyId}/data-access?limit=2`);
  expect(firstPage.body.items).toHaveLength(2);
  const secondPage = await caseworker.get(`/journeys/${journeyId}/data-access?limit=200&cursor=${firstPage.body.nextCursor}`);
  expect([...firstPage.body.items, ...secondPage.body.items].map((e: any) => e.id)).toEqual(all.map((e: any) => e.id));

  // The mandate holder sees the same entries, marked as those of whom they represent.
  const held = (await holder.get(`/journeys/${journeyId}/data-access`)).body.items;
  expect(held.map((e: any) => e.id)).toEqual(all.map((e: any) => e.id));
  expect(held[0].subject).toMatchObject({ id: subject, relation: 'mandate', mandateKinds: ['guardian'] });

  // Anyone who may not see the journey gets the answer of a journey that does not exist.
  expectProblem(await otherCaseworker.get(`/journeys/${journeyId}/data-access`), 404);
  expectProblem(await stranger.get(`/journeys/${journeyId}/data-access`), 404);
  expectProblem(await caseworker.get(`/journeys/${randomUUID()}/data-access`), 404);
  expectProblem(await caseworker.get(`/journeys/not-a-journey/data-access`), 404);
  expect(expectProblem(await caseworker.get(`/journeys/${journeyId}/data-access?limit=0`), 400).errors?.[0]?.path).toBe('/limit');

  const doc: any = await (await fetch(`${stack.gatewayUrl}/openapi.json`)).json();
  const op = doc.paths['/journeys/{id}/data-access'].get;
  expect(op.responses['200'].content['application/json'].schema.$ref).toMatch(/DataAccessPageResponse$/);
  expect(op.parameters.map((p: any) => p.name)).toEqual(expect.arrayContaining(['id', 'outcome', 'limit', 'cursor', 'lang']));
  expect(Object.keys(doc.components.schemas.DataAccessEntryResponse.properties)).toEqual(expect.arrayContaining(['at', 'agency', 'step', 'fields', 'purpose', 'legalBasis', 'outcome']));
});

test("the journey lists its steps in the life event's order, whatever order they changed in", async () => {
  // The first step's row written again last (as the projection does when it changes): in the
  // table it now comes after the others.
  await pg.query(`UPDATE journey_steps SET title = title WHERE journey_id = $1 AND node_key = 'allowance'`, [journeyId]);
  for (const api of [auditor, holder, caseworker]) {
    expect((await api.get(`/journeys/${journeyId}`)).body.steps.map((s: any) => s.key)).toEqual(['allowance', 'supplement', 'review']);
  }
});

test('decisions read with their inputs; an override reaches the running journey, audited once; a refused one is undone', async () => {
  const read = await holder.get(`/journeys/${journeyId}/decisions?lang=en`);
  const allowance = read.body.items.find((d: any) => d.node === 'allowance');
  expect(allowance).toMatchObject({
    rule: { id: `allowance-${run}`, version: 3 },
    outcome: 'grant',
    decided: { outcome: 'grant', branch: 0 },
    inputs: { fields: [expect.objectContaining({ id: 'national-register/birthDate', title: 'Date of birth', origin: 'prefilled' })] },
  });
  expect(allowance.decided.explanation).toBe(`Granted: born on ${allowance.inputs.fields[0].value}.`);

  const override = await caseworker.post(`/journeys/${journeyId}/decisions/allowance/override`, { outcome: 'deny', reason: 'The subject already receives it elsewhere' });
  expect(override.status).toBe(200);
  expect(override.body).toMatchObject({ outcome: 'deny', appliedToJourney: true, override: { outcome: 'deny', by: 'cw-growth' } });
  const retry = await caseworker.post(`/journeys/${journeyId}/decisions/allowance/override`, { outcome: 'deny', reason: 'The subject already receives it elsewhere' });
  expect(retry.status).toBe(200);
  expect(retry.body.override).toEqual(override.body.override);
  await pollUntil('the override in the timeline', async () => {
    const j = await auditor.get(`/journeys/${journeyId}`);
    return j.body.timeline.some((e: any) => e.type === 'step.decision_overridden' && e.step === 'allowance') || undefined;
  });
  const audit = await auditor.get(`/audit?target=${journeyId}/allowance`);
  expect(audit.body.items.map((a: any) => a.action)).toEqual(['decision.overridden']);

  // The supplement was referred to a caseworker: not final, so the journey refuses an override.
  const refused = expectProblem(await caseworker.post(`/journeys/${journeyId}/decisions/supplement/override`, { outcome: 'grant', reason: 'Exceptional situation' }), 409);
  expect(refused.detail).toMatch(/not final|not kept/);
  const supplement = (await holder.get(`/journeys/${journeyId}/decisions`)).body.items.find((d: any) => d.node === 'supplement');
  expect(supplement).toMatchObject({ outcome: 'refer' });
  expect(supplement.override).toBeUndefined();
  expect((await auditor.get(`/audit?target=${journeyId}/supplement`)).body.items.map((a: any) => a.action)).toEqual(['decision.override_reverted', 'decision.overridden']);
});

test('the once-only rate of the journey and its life event', async () => {
  const use = await holder.get(`/journeys/${journeyId}/data-use`);
  expect(use.status).toBe(200);
  expect(use.body).toMatchObject({ fields: { prefilled: 2, asked: 0 }, onceOnlyRate: 1 });
  expect(use.body.steps.map((s: any) => s.node).sort()).toEqual(['allowance', 'supplement']);
  const stats = await auditor.get(`/stats/once-only?lifeEvent=${lifeEvent}`);
  expect(stats.body.items).toEqual([expect.objectContaining({ lifeEvent, journeys: 1, fields: { prefilled: 2, asked: 0 }, onceOnlyRate: 1 })]);
  const metrics = await (await fetch(`${stack.gatewayUrl}/metrics`)).text();
  expect(metrics).toContain(`levensloop_once_only_fields_total{life_event="${lifeEvent}",origin="prefilled"} 2`);
});
