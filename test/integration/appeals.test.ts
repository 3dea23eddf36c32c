/**
 * Appeal, the second stage (issue 15, part 2), on the gateway in-process with its worker, a fresh
 * PostgreSQL database and the real Temporal server: after an objection is upheld the citizen
 * appeals within its own term to the appeal agency; a caseworker of that agency who did not review
 * the objection (four eyes) revises the decision, and the steps that depended on it run again;
 * after the term an appeal is refused with the term and its end; what the citizen is told.
 */
import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { startInProcessGateway, type InProcessGateway } from '../support/gateway';
import { Api, expectProblem } from '../support/http';
import { decideThenPayOrInform, publishLifeEvent, publishStep, t } from '../support/decision-catalog';
import { journeyProbe, recordJourney as record, type JourneyProbe } from '../support/journey-probe';
import { pollUntil } from '../support/poll';

jest.setTimeout(180_000);

const CITIZEN = '85073003328';

let gateway: InProcessGateway;
let ds: DataSource;
let admin: Api, citizen: Api, payerCw: Api, reviewerCw: Api, boardCw: Api, auditor: Api;
let { waitStep, taskRow, timeline, journeyStatus, complete } = {} as JourneyProbe;

/** grant for a low income, deny otherwise. */
const rule = (id: string) => ({
  id,
  version: 1,
  branches: [{ when: { '==': [{ var: 'data.income' }, 'low'] }, outcome: 'grant', explanation: t('Your income is low.') }],
  otherwise: { outcome: 'deny', explanation: t('Your income is too high.') },
});

async function catalog() {
  for (const code of ['ap-payer', 'ap-board']) expect((await admin.post('/agencies', { code, names: t(code) })).status).toBe(201);
  const step = (body: Record<string, unknown>) => publishStep(admin, 'ap-payer', body);
  // The appeal is validated with the objection it belongs to.
  const wrong = await admin.post('/agencies/ap-payer/steps', { key: 'wrong', kind: 'decision', titles: t('wrong'), serviceNorm: { target: 'P1D' }, rule: rule('wrong-rule'), objection: { term: 'P30D', appeal: { term: 'later' } } });
  expect(expectProblem(wrong, 422).errors?.map((e) => e.path)).toEqual(['/objection/appeal/term']);
  const benefit = await step({ key: 'benefit', kind: 'decision', rule: rule('appeal-rule'), objection: { term: 'P30D', reviewingAgency: 'ap-board', appeal: { term: 'P30D' } } });
  expect(benefit.objection).toEqual({ term: 'P30D', reviewingAgency: 'ap-board', appeal: { term: 'P30D' } });
  await step({ key: 'quick', kind: 'decision', rule: rule('quick-appeal-rule'), objection: { term: 'P30D', appeal: { term: 'PT2S', agency: 'ap-board' } } });
  await step({ key: 'pay', kind: 'caseworker' });
  await step({ key: 'inform', kind: 'caseworker' });
  for (const [key, decision] of [['appealable', 'benefit'], ['appealable-quick', 'quick']]) await publishLifeEvent(admin, key, decideThenPayOrInform('ap-payer', decision));
}

beforeAll(async () => {
  gateway = await startInProcessGateway('appeals');
  ds = gateway.ds;
  [admin, citizen, payerCw, reviewerCw, boardCw, auditor] = await Promise.all([
    gateway.as({ role: 'catalog-admin', sub: 'admin' }),
    gateway.as({ role: 'citizen', nationalNumber: CITIZEN, sub: 'citizen-1' }),
    gateway.as({ role: 'caseworker', agency: 'ap-payer', sub: 'cw-anna' }),
    gateway.as({ role: 'caseworker', agency: 'ap-board', sub: 'cw-dirk' }),
    gateway.as({ role: 'caseworker', agency: 'ap-board', sub: 'cw-eva' }),
    gateway.as({ role: 'auditor', sub: 'auditor' }),
  ]);
  ({ waitStep, taskRow, timeline, journeyStatus, complete } = journeyProbe(ds, auditor));
  await catalog();
});

afterAll(async () => {
  await gateway?.close();
});

async function start(lifeEvent: string): Promise<string> {
  const res = await citizen.post('/journeys', { lifeEvent: { key: lifeEvent }, subject: { type: 'person', id: CITIZEN }, data: { income: 'high' } }, { 'idempotency-key': randomUUID() });
  expect(res.status).toBe(201);
  return res.body.id as string;
}

/** A refusal by rule, its informing step done, an objection upheld by cw-dirk of the reviewing agency. */
async function upheld(lifeEvent: string): Promise<string> {
  const journey = await start(lifeEvent);
  await complete(payerCw, `${journey}.inform`);
  await pollUntil('journey completed', async () => (await journeyStatus(journey)) === 'completed');
  expect((await citizen.post(`/journeys/${journey}/decisions/decide/objections`, { reason: 'My income fell in March.' })).status).toBe(201);
  const reviewer = lifeEvent === 'appealable' ? reviewerCw : payerCw;
  await pollUntil('review task open', async () => (await taskRow(`${journey}.decide.review`))?.status === 'open');
  const review = await reviewer.post(`/journeys/${journey}/decisions/decide/objection/review`, { verdict: 'uphold', explanation: { en: 'Your income of last year counts.' } });
  expect(review.status).toBe(200);
  await pollUntil('journey completed again', async () => (await journeyStatus(journey)) === 'completed');
  return journey;
}

describe('an appeal after an upheld objection, decided with four eyes, revising the decision', () => {
  let journey: string;

  test('no appeal before an objection was upheld', async () => {
    journey = await start('appealable');
    await complete(payerCw, `${journey}.inform`);
    await pollUntil('journey completed', async () => (await journeyStatus(journey)) === 'completed');
    const early = await citizen.post(`/journeys/${journey}/decisions/decide/appeals`, { reason: 'Wrong' });
    expect(expectProblem(early, 409).detail).toMatch(/after an objection that was upheld/);
    expect(early.body.type).toBe('https://levensloop.dev/problems/no-upheld-objection');
    const [item] = (await citizen.get(`/journeys/${journey}/objections`)).body.items;
    expect(item.appeal).toEqual({ term: 'P30D', termEndsAt: null, agency: 'ap-board', open: false });
    // The decision's message names its remedy: the term end the workflow holds open, the reviewing agency.
    const decided = (await timeline(journey)).find((e) => e.type === 'step.decided')!;
    expect(decided.detail.remedy).toEqual({ kind: 'objection', until: item.termEndsAt, agency: 'ap-board' });
  });

  test('once upheld, the citizen sees until when to appeal, and appeals with a reason (audited)', async () => {
    expect((await citizen.post(`/journeys/${journey}/decisions/decide/objections`, { reason: 'My income fell in March.' })).status).toBe(201);
    await pollUntil('review task open', async () => (await taskRow(`${journey}.decide.review`))?.status === 'open');
    expect((await reviewerCw.post(`/journeys/${journey}/decisions/decide/objection/review`, { verdict: 'uphold', explanation: { en: 'Your income of last year counts.' } })).status).toBe(200);
    await pollUntil('journey completed again', async () => (await journeyStatus(journey)) === 'completed');

    const [item] = (await citizen.get(`/journeys/${journey}/objections`)).body.items;
    expect(item.appeal).toMatchObject({ term: 'P30D', agency: 'ap-board', open: true });
    const days = (Date.parse(item.appeal.termEndsAt) - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(29.9);
    expect(days).toBeLessThanOrEqual(30);
    // The upheld objection's message names the appeal, its term end and its agency (the term from the
    // review as the workflow recorded it; the gateway's row of the review is written a moment apart).
    const upheld = (await timeline(journey)).find((e) => e.type === 'decision.objection_upheld')!;
    expect(upheld.detail.remedy).toEqual({ kind: 'appeal', until: expect.any(String), agency: 'ap-board' });
    expect(Math.abs(Date.parse(upheld.detail.remedy.until) - Date.parse(item.appeal.termEndsAt))).toBeLessThan(5000);

    expect(expectProblem(await citizen.post(`/journeys/${journey}/decisions/decide/appeals`, {}), 400).errors?.[0].path).toBe('/reason');
    expectProblem(await payerCw.post(`/journeys/${journey}/decisions/decide/appeals`, { reason: 'Not mine' }), 403);
    const filed = await citizen.post(`/journeys/${journey}/decisions/decide/appeals`, { reason: 'The review ignored my new contract.' });
    expect(filed.status).toBe(201);
    expect(filed.body).toMatchObject({ node: 'decide', status: 'filed', against: 'deny', agency: 'ap-board', filedBy: 'citizen-1' });
    // A retry answers the same appeal; another one is refused.
    expect((await citizen.post(`/journeys/${journey}/decisions/decide/appeals`, { reason: 'The review ignored my new contract.' })).status).toBe(201);
    expect(expectProblem(await citizen.post(`/journeys/${journey}/decisions/decide/appeals`, { reason: 'Again' }), 409).detail).toMatch(/already filed/);

    await waitStep(journey, 'decide', 'waiting');
    await pollUntil('journey running again', async () => (await journeyStatus(journey)) === 'running');
    expect(await taskRow(`${journey}.decide.appeal`)).toEqual({ status: 'open', agency: 'ap-board', assignee: 'caseworker' });
    const audit = await ds.query(`SELECT action FROM audit_log WHERE target_id = $1 ORDER BY id`, [`${journey}/decide`]);
    expect(audit.map((a: { action: string }) => a.action)).toContain('decision.appeal_filed');
    // The appeal task is not completed as a plain task.
    expect(expectProblem(await boardCw.post(`/tasks/${journey}.decide.appeal/complete`, { outcome: 'approve' }), 409).detail).toMatch(/under appeal/);
  });

  test('four eyes: the reviewer of the objection may not decide; a caseworker of another agency may not either', async () => {
    const refused = expectProblem(await reviewerCw.post(`/journeys/${journey}/decisions/decide/appeal/decision`, { verdict: 'grant', explanation: { en: 'ok' } }), 403);
    expect(refused.detail).toMatch(/^Four eyes: cw-dirk/);
    expectProblem(await payerCw.post(`/journeys/${journey}/decisions/decide/appeal/decision`, { verdict: 'grant', explanation: { en: 'ok' } }), 403);
    expect(expectProblem(await boardCw.post(`/journeys/${journey}/decisions/decide/appeal/decision`, { verdict: 'maybe', explanation: { en: 'x' } }), 400).errors?.[0].path).toBe('/verdict');
    expectProblem(await boardCw.post(`/journeys/${journey}/decisions/decide/appeal/decision`, { verdict: 'grant', explanation: { en: ' ' } }), 422);
    expect((await ds.query(`SELECT status FROM decision_appeals WHERE journey_id = $1`, [journey]))[0].status).toBe('filed');
  });

  test('another caseworker of the appeal agency revises it: the dependants run again, the citizen is told', async () => {
    const decided = await boardCw.post(`/journeys/${journey}/decisions/decide/appeal/decision?lang=en`, { verdict: 'grant', explanation: { en: 'Your new contract lowers your income.', nl: 'Uw nieuwe contract verlaagt uw inkomen.' } });
    expect(decided.status).toBe(200);
    expect(decided.body).toMatchObject({ status: 'revised', decision: { verdict: 'grant', outcome: 'grant', by: 'cw-eva', explanation: 'Your new contract lowers your income.' } });

    await pollUntil('pay task open', async () => (await taskRow(`${journey}.pay`))?.status === 'open');
    await waitStep(journey, 'inform', 'skipped');
    const events = await timeline(journey);
    const types = events.map((e) => `${e.type}${e.node_key ? `:${e.node_key}` : ''}`);
    expect(types).toEqual(expect.arrayContaining(['decision.objection_upheld:decide', 'decision.appeal_filed:decide', 'decision.appeal_revised:decide', 'step.rerun:pay', 'step.rerun:inform']));
    expect(types.indexOf('decision.appeal_revised:decide')).toBeLessThan(types.indexOf('step.rerun:pay'));
    expect(events.find((e) => e.type === 'decision.appeal_revised')!.detail).toMatchObject({ by: 'cw-eva', from: 'deny', outcome: 'grant' });
    expect(await taskRow(`${journey}.decide.appeal`)).toMatchObject({ status: 'completed' });

    const told = await ds.query(`SELECT category, data FROM notifications WHERE journey_id = $1 AND category LIKE 'appeal.%' ORDER BY event_seq`, [journey]);
    expect(told.map((n: { category: string }) => n.category)).toEqual(['appeal.received', 'appeal.decided']);
    expect(told[1].data).toMatchObject({ outcome: 'grant', explanation: { en: 'Your new contract lowers your income.' } });
    const audit = await ds.query(`SELECT actor, action FROM audit_log WHERE target_id = $1 AND action = 'decision.appeal_decided'`, [`${journey}/decide`]);
    expect(audit).toEqual([{ actor: 'cw-eva', action: 'decision.appeal_decided' }]);

    // The decision as it holds now is the one revised on appeal.
    expect((await citizen.get(`/journeys/${journey}/decisions`)).body.items[0]).toMatchObject({ node: 'decide', outcome: 'grant' });
    await complete(payerCw, `${journey}.pay`);
    await pollUntil('journey completed again', async () => (await journeyStatus(journey)) === 'completed');
    await record('appeal-revised', journey);
    expectProblem(await boardCw.post(`/journeys/${journey}/decisions/decide/appeal/decision`, { verdict: 'deny', explanation: { en: 'x' } }), 409);
  });
});

test('after its term an appeal is refused, saying the term and when it ended', async () => {
  const journey = await upheld('appealable-quick');
  const [item] = (await citizen.get(`/journeys/${journey}/objections`)).body.items;
  expect(item.appeal).toMatchObject({ term: 'PT2S', agency: 'ap-board' });
  await new Promise((r) => setTimeout(r, Math.max(0, Date.parse(item.appeal.termEndsAt) - Date.now()) + 500));
  const late = await citizen.post(`/journeys/${journey}/decisions/decide/appeals`, { reason: 'Too late?' });
  const problem = expectProblem(late, 409);
  expect(problem.detail).toBe(`The term to appeal this decision (PT2S) ended on ${item.appeal.termEndsAt}; an appeal is no longer possible.`);
  expect(late.body).toMatchObject({ term: 'PT2S', termEndedAt: item.appeal.termEndsAt, type: 'https://levensloop.dev/problems/appeal-term-ended' });
  expect(await ds.query(`SELECT 1 FROM decision_appeals WHERE journey_id = $1`, [journey])).toEqual([]);
});

test('/stats/objections counts the appeals after the objections per rule id and version: filed and revised (OpenAPI says so)', async () => {
  // A second objection upheld against appeal-rule, appealed and not decided yet.
  const open = await upheld('appealable');
  expect((await citizen.post(`/journeys/${open}/decisions/decide/appeals`, { reason: 'My income fell again in May.' })).status).toBe(201);
  const res = await citizen.get('/stats/objections');
  expect(res.status).toBe(200);
  expect(res.body.items).toContainEqual({ rule: { id: 'appeal-rule', version: 1 }, objections: 2, open: 0, upheld: 2, revised: 0, appeals: 2, appealsRevised: 1 });
  // Upheld, its appeal term ended without an appeal.
  expect(res.body.items).toContainEqual({ rule: { id: 'quick-appeal-rule', version: 1 }, objections: 1, open: 0, upheld: 1, revised: 0, appeals: 0, appealsRevised: 0 });
  expect((await auditor.get('/stats/objections?rule=appeal-rule')).body.items).toEqual([{ rule: { id: 'appeal-rule', version: 1 }, objections: 2, open: 0, upheld: 2, revised: 0, appeals: 2, appealsRevised: 1 }]);

  const doc = (await new Api(gateway.baseUrl).get('/openapi.json')).body;
  const ok = doc.paths['/stats/objections'].get.responses['200'].content['application/json'].schema.$ref.split('/').pop();
  const item = doc.components.schemas[doc.components.schemas[ok].properties.items.items.$ref.split('/').pop()];
  expect(item.required).toEqual(expect.arrayContaining(['rule', 'objections', 'open', 'upheld', 'revised', 'appeals', 'appealsRevised']));
});
