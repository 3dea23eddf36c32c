/**
 * A journey completed again (issue 15, the message gaps), on the gateway in-process with its
 * worker, a fresh PostgreSQL database and the real Temporal server: after an objection revised its
 * decision, and after an override of a journey held open for its objection term, the second
 * completion is marked `again` and `revised` in the timeline and files "complete again"
 * (`journey.completed_again`), not "complete" a second time.
 */
import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { startInProcessGateway, type InProcessGateway } from '../support/gateway';
import type { Api } from '../support/http';
import { decideThenPayOrInform, publishLifeEvent, publishStep, t } from '../support/decision-catalog';
import { journeyProbe, recordJourney, type JourneyProbe } from '../support/journey-probe';
import { pollUntil } from '../support/poll';

jest.setTimeout(180_000);

const CITIZEN = '85073003328';

let gateway: InProcessGateway;
let ds: DataSource;
let admin: Api, citizen: Api, anna: Api, bert: Api;
let { journeyStatus: status, complete } = {} as JourneyProbe;

beforeAll(async () => {
  gateway = await startInProcessGateway('completion-again');
  ds = gateway.ds;
  [admin, citizen, anna, bert] = await Promise.all([
    gateway.as({ role: 'catalog-admin', sub: 'admin' }),
    gateway.as({ role: 'citizen', nationalNumber: CITIZEN, sub: 'citizen-1' }),
    gateway.as({ role: 'caseworker', agency: 'payer', sub: 'cw-anna' }),
    gateway.as({ role: 'caseworker', agency: 'payer', sub: 'cw-bert' }),
  ]);
  ({ journeyStatus: status, complete } = journeyProbe(ds));
  expect((await admin.post('/agencies', { code: 'payer', names: t('payer') })).status).toBe(201);
  const rule = {
    id: 'benefit-rule',
    version: 1,
    branches: [{ when: { '==': [{ var: 'data.income' }, 'high'] }, outcome: 'deny', explanation: t('Your income is too high.') }],
    otherwise: { outcome: 'refer', explanation: t('A caseworker decides.') },
  };
  for (const body of [
    { key: 'benefit', kind: 'decision', rule, objection: { term: 'P30D' } },
    { key: 'pay', kind: 'caseworker' },
    { key: 'inform', kind: 'caseworker' },
  ])
    await publishStep(admin, 'payer', body);
  await publishLifeEvent(admin, 'support', decideThenPayOrInform('payer', 'benefit'));
});

afterAll(async () => {
  await gateway?.close();
});

async function start(income: string): Promise<string> {
  const res = await citizen.post('/journeys', { lifeEvent: { key: 'support' }, subject: { type: 'person', id: CITIZEN }, data: { income } }, { 'idempotency-key': randomUUID() });
  expect(res.status).toBe(201);
  return res.body.id as string;
}
/** The journey's completions as the timeline tells them, once there are `n`, and the messages they filed. */
const completions = (journey: string, n: number) =>
  pollUntil(`${n} completions of ${journey}`, async () => {
    const events = await ds.query(`SELECT detail FROM journey_events WHERE journey_id = $1 AND type = 'journey.completed' ORDER BY seq`, [journey]);
    if (events.length !== n || (await status(journey)) !== 'completed') return undefined;
    const told = await ds.query(`SELECT category FROM notifications WHERE journey_id = $1 AND category LIKE 'journey.completed%' ORDER BY event_seq`, [journey]);
    return { details: events.map((e: { detail: unknown }) => e.detail), told: told.map((r: { category: string }) => r.category) };
  });

test('after an objection revised the decision, the second completion is "complete again"', async () => {
  const journey = await start('unknown');
  await complete(anna, `${journey}.decide`, 'reject');
  await complete(bert, `${journey}.inform`);
  expect(await completions(journey, 1)).toEqual({ details: [null], told: ['journey.completed'] });
  expect((await citizen.post(`/journeys/${journey}/decisions/decide/objections`, { reason: 'My income is low since March.' })).status).toBe(201);
  await pollUntil('journey running again', async () => (await status(journey)) === 'running');
  expect((await bert.post(`/journeys/${journey}/decisions/decide/objection/review`, { verdict: 'grant', explanation: { en: 'Your payslips show a low income.' } })).status).toBe(200);
  await complete(bert, `${journey}.pay`);
  expect(await completions(journey, 2)).toEqual({ details: [null, { again: true, revised: true }], told: ['journey.completed', 'journey.completed_again'] });
  await recordJourney('objection-completed-again', journey);
});

test('after an override of a journey held open for its objection term, the second completion is "complete again" too', async () => {
  const journey = await start('high');
  await complete(anna, `${journey}.inform`);
  expect(await completions(journey, 1)).toEqual({ details: [null], told: ['journey.completed'] });
  const overridden = await bert.post(`/journeys/${journey}/decisions/decide/override`, { outcome: 'grant', reason: 'Income was counted twice.' });
  expect(overridden.body.appliedToJourney).toBe(true);
  await complete(anna, `${journey}.pay`);
  expect(await completions(journey, 2)).toEqual({ details: [null, { again: true, revised: true }], told: ['journey.completed', 'journey.completed_again'] });
});

test('after an upheld objection the second completion tells nothing', async () => {
  const journey = await start('unknown');
  await complete(anna, `${journey}.decide`, 'reject');
  await complete(bert, `${journey}.inform`);
  await completions(journey, 1);
  expect((await citizen.post(`/journeys/${journey}/decisions/decide/objections`, { reason: 'I disagree.' })).status).toBe(201);
  await pollUntil('journey running again', async () => (await status(journey)) === 'running');
  expect((await bert.post(`/journeys/${journey}/decisions/decide/objection/review`, { verdict: 'uphold', explanation: { en: 'Your income is too high.' } })).status).toBe(200);
  expect(await completions(journey, 2)).toEqual({ details: [null, { again: true, revised: false }], told: ['journey.completed'] });
});
