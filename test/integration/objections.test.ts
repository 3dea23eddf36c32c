/**
 * Objection and appeal (issue 15, part 2), on the gateway in-process with its worker, a fresh
 * PostgreSQL database and the real Temporal server: an objection within the term is accepted and
 * re-opens a completed journey; after the term it is refused with the term and its end; four eyes
 * on the review; a revised decision and an override start their dependants again; the figures per
 * rule; what the citizen is told.
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
let admin: Api, citizen: Api, stranger: Api, deciderCw: Api, colleagueCw: Api, appealsCw: Api, auditor: Api;
let { stepOf, waitStep, taskRow, timeline, journeyStatus, complete } = {} as JourneyProbe;

/** grant for low income, deny for high, else a caseworker decides (a referral). */
const rule = (id: string) => ({
  id,
  version: 1,
  branches: [
    { when: { '==': [{ var: 'data.income' }, 'low'] }, outcome: 'grant', explanation: t('Your income is low.') },
    { when: { '==': [{ var: 'data.income' }, 'high'] }, outcome: 'deny', explanation: t('Your income is too high.') },
  ],
  otherwise: { outcome: 'refer', explanation: t('A caseworker decides.') },
});

async function catalog() {
  for (const code of ['payer', 'appeals']) expect((await admin.post('/agencies', { code, names: t(code) })).status).toBe(201);
  const step = (body: Record<string, unknown>) => publishStep(admin, 'payer', body);
  // A declared objection is validated with the step.
  const wrong = await admin.post('/agencies/payer/steps', { key: 'wrong', kind: 'caseworker', titles: t('wrong'), serviceNorm: { target: 'P1D' }, objection: { term: 'soon' } });
  expect(expectProblem(wrong, 422).errors?.map((e) => e.path)).toEqual(['/objection']);
  await step({ key: 'benefit', kind: 'decision', rule: rule('benefit-rule'), objection: { term: 'P30D' } });
  await step({ key: 'quick', kind: 'decision', rule: rule('quick-rule'), objection: { term: 'PT2S', reviewingAgency: 'appeals' } });
  await step({ key: 'plain', kind: 'decision', rule: rule('plain-rule') });
  await step({ key: 'pay', kind: 'caseworker' });
  await step({ key: 'inform', kind: 'caseworker' });
  await publishLifeEvent(admin, 'support', decideThenPayOrInform('payer', 'benefit'));
  await publishLifeEvent(admin, 'support-quick', decideThenPayOrInform('payer', 'quick').slice(0, 1));
  await publishLifeEvent(admin, 'support-plain', decideThenPayOrInform('payer', 'plain'));
}

beforeAll(async () => {
  gateway = await startInProcessGateway('objections');
  ds = gateway.ds;
  [admin, citizen, stranger, deciderCw, colleagueCw, appealsCw, auditor] = await Promise.all([
    gateway.as({ role: 'catalog-admin', sub: 'admin' }),
    gateway.as({ role: 'citizen', nationalNumber: CITIZEN, sub: 'citizen-1' }),
    gateway.as({ role: 'citizen', nationalNumber: '90010100123', sub: 'citizen-2' }),
    gateway.as({ role: 'caseworker', agency: 'payer', sub: 'cw-anna' }),
    gateway.as({ role: 'caseworker', agency: 'payer', sub: 'cw-bert' }),
    gateway.as({ role: 'caseworker', agency: 'appeals', sub: 'cw-carla' }),
    gateway.as({ role: 'auditor', sub: 'auditor' }),
  ]);
  ({ stepOf, waitStep, taskRow, timeline, journeyStatus, complete } = journeyProbe(ds, auditor));
  await catalog();
});

afterAll(async () => {
  await gateway?.close();
});

async function start(lifeEvent: string, income: string): Promise<string> {
  const res = await citizen.post('/journeys', { lifeEvent: { key: lifeEvent }, subject: { type: 'person', id: CITIZEN }, data: { income } }, { 'idempotency-key': randomUUID() });
  expect(res.status).toBe(201);
  return res.body.id as string;
}

describe('objection within the term, reviewed with four eyes, revising the decision', () => {
  let journey: string;

  test('a referral decided by a caseworker, the journey completed: the citizen sees until when to object', async () => {
    journey = await start('support', 'unknown');
    await complete(deciderCw, `${journey}.decide`, 'reject'); // cw-anna decides: refused
    await complete(colleagueCw, `${journey}.inform`);
    await pollUntil('journey completed', async () => (await journeyStatus(journey)) === 'completed');
    expect((await stepOf(journey, 'pay'))?.status).toBe('skipped');

    const list = await citizen.get(`/journeys/${journey}/objections`);
    expect(list.status).toBe(200);
    const [item] = list.body.items;
    expect(item).toMatchObject({ node: 'decide', term: 'P30D', open: true, reviewingAgency: 'payer', rule: { id: 'benefit-rule', version: 1 } });
    const days = (Date.parse(item.termEndsAt) - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(29.9);
    expect(days).toBeLessThanOrEqual(30);
  });

  test('only the subject (or who acts for them) files, with a reason', async () => {
    expect((await stranger.post(`/journeys/${journey}/decisions/decide/objections`, { reason: 'Not mine' })).status).toBe(404);
    expectProblem(await colleagueCw.post(`/journeys/${journey}/decisions/decide/objections`, { reason: 'Not mine' }), 403);
    expect(expectProblem(await citizen.post(`/journeys/${journey}/decisions/decide/objections`, {}), 400).errors?.[0].path).toBe('/reason');
  });

  test('an objection in the term is accepted, audited, re-opens the journey and gives the deciding agency a review task', async () => {
    const filed = await citizen.post(`/journeys/${journey}/decisions/decide/objections?lang=en`, { reason: 'My income is low since March.' });
    expect(filed.status).toBe(201);
    expect(filed.body).toMatchObject({ node: 'decide', status: 'filed', against: 'deny', reviewingAgency: 'payer', filedBy: 'citizen-1' });
    // A retry answers the same objection; a second one is refused.
    expect((await citizen.post(`/journeys/${journey}/decisions/decide/objections`, { reason: 'My income is low since March.' })).status).toBe(201);
    expect(expectProblem(await citizen.post(`/journeys/${journey}/decisions/decide/objections`, { reason: 'Another reason' }), 409).detail).toMatch(/already filed/);

    await waitStep(journey, 'decide', 'waiting');
    await pollUntil('journey running again', async () => (await journeyStatus(journey)) === 'running');
    expect(await taskRow(`${journey}.decide.review`)).toEqual({ status: 'open', agency: 'payer', assignee: 'caseworker' });
    const audit = await ds.query(`SELECT actor, action, detail FROM audit_log WHERE target_id = $1 ORDER BY id`, [`${journey}/decide`]);
    expect(audit.map((a: { action: string }) => a.action)).toContain('decision.objection_filed');
    // The review task is not completed as a plain task.
    expect(expectProblem(await colleagueCw.post(`/tasks/${journey}.decide.review/complete`, { outcome: 'approve' }), 409).detail).toMatch(/under review|review/);
  });

  test('the caseworker who decided may not review (four eyes); an agency not in the journey does not see it', async () => {
    const refused = expectProblem(await deciderCw.post(`/journeys/${journey}/decisions/decide/objection/review`, { verdict: 'grant', explanation: { en: 'ok' } }), 403);
    expect(refused.detail).toMatch(/^Four eyes: cw-anna decided or overrode this decision/);
    expectProblem(await appealsCw.post(`/journeys/${journey}/decisions/decide/objection/review`, { verdict: 'grant', explanation: { en: 'ok' } }), 404);
    expect(expectProblem(await colleagueCw.post(`/journeys/${journey}/decisions/decide/objection/review`, { verdict: 'maybe', explanation: { en: 'x' } }), 400).errors?.[0].path).toBe('/verdict');
    expectProblem(await colleagueCw.post(`/journeys/${journey}/decisions/decide/objection/review`, { verdict: 'grant', explanation: { en: '  ' } }), 422);
    expect((await ds.query(`SELECT status FROM decision_objections WHERE journey_id = $1`, [journey]))[0].status).toBe('filed');
  });

  test('another caseworker revises it: the steps that depended on the outcome run again, the citizen is told', async () => {
    const reviewed = await colleagueCw.post(`/journeys/${journey}/decisions/decide/objection/review?lang=en`, { verdict: 'grant', explanation: { en: 'Your payslips show a low income.', nl: 'Uw loonbrieven tonen een laag inkomen.' } });
    expect(reviewed.status).toBe(200);
    expect(reviewed.body).toMatchObject({ status: 'revised', review: { verdict: 'grant', outcome: 'grant', by: 'cw-bert', explanation: 'Your payslips show a low income.' } });

    await waitStep(journey, 'decide', 'completed');
    // pay was skipped for the refusal: it runs now; inform was done for the refusal: it is skipped now.
    await pollUntil('pay task open again', async () => (await taskRow(`${journey}.pay`))?.status === 'open');
    await waitStep(journey, 'inform', 'skipped');
    const events = await timeline(journey);
    const types = events.map((e) => `${e.type}${e.node_key ? `:${e.node_key}` : ''}`);
    expect(types).toEqual(expect.arrayContaining(['decision.objection_filed:decide', 'decision.objection_revised:decide', 'step.rerun:pay', 'step.rerun:inform']));
    expect(types.indexOf('decision.objection_revised:decide')).toBeLessThan(types.indexOf('step.rerun:pay'));
    expect(events.find((e) => e.type === 'decision.objection_revised')!.detail).toMatchObject({ by: 'cw-bert', from: 'deny', outcome: 'grant' });
    expect(await taskRow(`${journey}.decide.review`)).toMatchObject({ status: 'completed' });

    const told = await ds.query(`SELECT category, data FROM notifications WHERE journey_id = $1 AND category LIKE 'objection.%' ORDER BY event_seq`, [journey]);
    expect(told.map((n: { category: string }) => n.category)).toEqual(['objection.received', 'objection.decided']);
    expect(told[1].data).toMatchObject({ outcome: 'grant', explanation: { en: 'Your payslips show a low income.' } });

    // The decision as it holds now is the revised one.
    expect((await citizen.get(`/journeys/${journey}/decisions`)).body.items[0]).toMatchObject({ node: 'decide', outcome: 'grant', decided: { outcome: 'refer' } });
    await complete(colleagueCw, `${journey}.pay`);
    await pollUntil('journey completed again', async () => (await journeyStatus(journey)) === 'completed');
    await record('objection-revised', journey);
    expectProblem(await colleagueCw.post(`/journeys/${journey}/decisions/decide/objection/review`, { verdict: 'deny', explanation: { en: 'x' } }), 409);
  });

  test('/stats/objections counts objections and revisions per rule id and version', async () => {
    const res = await citizen.get('/stats/objections');
    expect(res.status).toBe(200);
    expect(res.body.items).toContainEqual({ rule: { id: 'benefit-rule', version: 1 }, objections: 1, open: 0, upheld: 0, revised: 1, appeals: 0, appealsRevised: 0 });
    expect((await auditor.get('/stats/objections?rule=quick-rule')).body.items.every((i: { rule: { id: string } }) => i.rule.id === 'quick-rule')).toBe(true);
  });
});

describe('the term', () => {
  test('after the term an objection is refused, saying the term and when it ended', async () => {
    const journey = await start('support-quick', 'high');
    await pollUntil('journey completed', async () => (await journeyStatus(journey)) === 'completed');
    const [item] = (await citizen.get(`/journeys/${journey}/objections`)).body.items;
    expect(item).toMatchObject({ term: 'PT2S', reviewingAgency: 'appeals' });
    // The reviewing agency is in the journey: its caseworkers see it.
    expect((await appealsCw.get(`/journeys/${journey}`)).status).toBe(200);
    await new Promise((r) => setTimeout(r, Math.max(0, Date.parse(item.termEndsAt) - Date.now()) + 500));
    const late = await citizen.post(`/journeys/${journey}/decisions/decide/objections`, { reason: 'Too late?' });
    const problem = expectProblem(late, 409);
    expect(problem.detail).toBe(`The term to object to this decision (PT2S) ended on ${item.termEndsAt}; an objection is no longer possible.`);
    expect(late.body).toMatchObject({ term: 'PT2S', termEndedAt: item.termEndsAt, type: 'https://levensloop.dev/problems/objection-term-ended' });
    expect(await ds.query(`SELECT 1 FROM decision_objections WHERE journey_id = $1`, [journey])).toEqual([]);
    await record('objection-term-ended', journey);
  });

  test('a decision without a declared term cannot be objected to', async () => {
    const journey = await start('support-plain', 'low');
    await pollUntil('pay task open', async () => (await taskRow(`${journey}.pay`))?.status === 'open');
    expect(expectProblem(await citizen.post(`/journeys/${journey}/decisions/decide/objections`, { reason: 'Why?' }), 409).detail).toMatch(/declares no objection term/);
  });
});

describe('an override starts the dependants again too', () => {
  test('overriding a refusal to a grant runs the step that was skipped for the refusal', async () => {
    const journey = await start('support-plain', 'high');
    await pollUntil('inform task open', async () => (await taskRow(`${journey}.inform`))?.status === 'open');
    expect((await stepOf(journey, 'pay'))?.status).toBe('skipped');
    const overridden = await deciderCw.post(`/journeys/${journey}/decisions/decide/override`, { outcome: 'grant', reason: 'The payslips were missing.' });
    expect(overridden.status).toBe(200);
    expect(overridden.body.appliedToJourney).toBe(true);
    await pollUntil('pay task open', async () => (await taskRow(`${journey}.pay`))?.status === 'open');
    const types = (await timeline(journey)).map((e) => `${e.type}${e.node_key ? `:${e.node_key}` : ''}`);
    expect(types).toEqual(expect.arrayContaining(['step.decision_overridden:decide', 'step.rerun:pay']));
    // inform was under way (its task open): it is left to finish.
    expect(types).not.toContain('step.rerun:inform');
    await record('override-reruns', journey);
  });

  test('an override reaches a completed journey held open for its objection term, and runs the skipped step', async () => {
    const journey = await start('support', 'high');
    await complete(deciderCw, `${journey}.inform`);
    await pollUntil('journey completed', async () => (await journeyStatus(journey)) === 'completed');
    expect((await stepOf(journey, 'pay'))?.status).toBe('skipped');
    const overridden = await colleagueCw.post(`/journeys/${journey}/decisions/decide/override`, { outcome: 'grant', reason: 'Income was counted twice.' });
    expect(overridden.status).toBe(200);
    expect(overridden.body.appliedToJourney).toBe(true);
    await pollUntil('pay task open', async () => (await taskRow(`${journey}.pay`))?.status === 'open');
    expect(await journeyStatus(journey)).not.toBe('completed');
  });
});
