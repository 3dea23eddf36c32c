/**
 * The legal clock over HTTP, the whole stack as separate processes: a caseworker of the step's
 * agency asks the citizen for information (the citizen sees the task with the question and
 * answers it; the step's clock stands still meanwhile and its due date moves after), and extends
 * the term once, with a reason, within the step's `serviceNorm.maxExtension`. Bad input is a
 * clear problem+json; who may act is checked before what is asked; both actions are audited and
 * in the timeline. (Days and weeks: test/integration/legal-clock-time-skipping.test.ts.)
 */
import { randomUUID } from 'node:crypto';
import { createTestDatabase } from '../support/database';
import { expectProblem, type Api } from '../support/http';
import { pollUntil } from '../support/poll';
import { startStack, type Stack } from '../support/stack';

jest.setTimeout(180_000);

const run = randomUUID().slice(0, 6);
const NATIONAL_NUMBER = '85073003328';
const agency = `housing-${run}`;
const other = `other-${run}`;
let db: { url: string; drop: () => Promise<void> };
let stack: Stack;
let admin: Api;
let auditor: Api;
let caseworker: Api;
let colleague: Api;
let otherCaseworker: Api;
let citizen: Api;

const titles = (nl: string) => ({ nl, fr: `${nl} (fr)`, de: `${nl} (de)`, en: `${nl} (en)` });
const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString();

beforeAll(async () => {
  db = await createTestDatabase('e2e_legal_clock');
  stack = await startStack(db.url, 'legal-clock');
  admin = stack.api.as(await stack.token({ role: 'catalog-admin', sub: 'admin-1' }));
  auditor = stack.api.as(await stack.token({ role: 'auditor', sub: 'auditor-1' }));
  caseworker = stack.api.as(await stack.token({ role: 'caseworker', agency, sub: 'cw-1' }));
  colleague = stack.api.as(await stack.token({ role: 'caseworker', agency, sub: 'cw-2' }));
  otherCaseworker = stack.api.as(await stack.token({ role: 'caseworker', agency: other, sub: 'cw-9' }));
  citizen = stack.api.as(await stack.token({ role: 'citizen', nationalNumber: NATIONAL_NUMBER, sub: 'citizen-1' }));
  for (const code of [agency, other]) expect((await admin.post('/agencies', { code, names: titles(code), endpointHosts: [stack.sandboxHost] })).status).toBe(201);
  // The catalog checks the maximum extension like every duration of a step.
  const bad = expectProblem(await admin.post(`/agencies/${agency}/steps`, { key: 'bad-norm', kind: 'caseworker', titles: titles('Fout'), serviceNorm: { target: 'P30D', maxExtension: 'a month' } }), 422);
  expect(bad.errors).toEqual([expect.objectContaining({ path: '/serviceNorm/maxExtension' })]);
  for (const [key, serviceNorm] of [
    ['renovation-premium', { target: 'P30D', warn: 'P20D', escalate: 'P40D', maxExtension: 'P30D' }],
    ['site-visit', { target: 'P10D' }],
  ] as const) {
    const created = await admin.post(`/agencies/${agency}/steps`, { key, kind: 'caseworker', titles: titles(key), serviceNorm });
    expect(created.status).toBe(201);
    expect(created.body.serviceNorm).toEqual(serviceNorm);
    expect((await admin.post(`/agencies/${agency}/steps/${key}/versions/1/publish`)).status).toBe(200);
  }
  expect(
    (
      await admin.post('/life-events', {
        key: `renovate-${run}`,
        audience: 'citizen',
        titles: titles('Een woning renoveren'),
        nodes: [
          { key: 'premium', step: { agency, key: 'renovation-premium', version: 1 } },
          { key: 'visit', step: { agency, key: 'site-visit', version: 1 } },
        ],
      })
    ).status,
  ).toBe(201);
  expect((await admin.post(`/life-events/renovate-${run}/versions/1/publish`)).status).toBe(200);
});

afterAll(async () => {
  await stack?.stop();
  await db?.drop();
});

async function startJourney() {
  const res = await citizen.post('/journeys', { lifeEvent: { key: `renovate-${run}` }, subject: { type: 'person', id: NATIONAL_NUMBER } }, { 'idempotency-key': randomUUID() });
  expect(res.status).toBe(201);
  const id = res.body.id as string;
  const journey = await waitForJourney(id, (j) => stepOf(j, 'premium')?.status === 'waiting' && stepOf(j, 'visit')?.status === 'waiting');
  return { id, journey };
}

const stepOf = (journey: any, key: string) => journey.steps.find((s: any) => s.key === key);
const waitForJourney = (id: string, until: (j: any) => boolean) =>
  pollUntil(`journey ${id}`, async () => {
    const res = await auditor.get(`/journeys/${id}`);
    return res.status === 200 && until(res.body) ? res.body : undefined;
  });

test('a caseworker asks for information: the citizen sees the question and answers; the clock stands still meanwhile and the due date moves after', async () => {
  const { id, journey } = await startJourney();
  const dueBefore = stepOf(journey, 'premium').dueAt;
  const path = `/journeys/${id}/steps/premium/request-information`;
  const body = { question: 'Stuur het huurcontract van uw nieuwe adres.', dueAt: inDays(14) };

  // Who asks, before what is asked: anonymous, a citizen, a caseworker of another agency.
  expectProblem(await stack.api.post(path, body), 401);
  expectProblem(await citizen.post(path, body), 403);
  expectProblem(await otherCaseworker.post(path, body), 404);
  // Bad input: no question, a date that is no date or has passed, an unknown step.
  expectProblem(await caseworker.post(path, { dueAt: inDays(14) }), 400);
  expect(expectProblem(await caseworker.post(path, { question: 'x', dueAt: inDays(14) }), 400).detail).toMatch(/question/);
  expectProblem(await caseworker.post(path, { question: body.question, dueAt: 'next week' }), 400);
  expect(expectProblem(await caseworker.post(path, { question: body.question, dueAt: inDays(-1) }), 422).errors).toEqual([expect.objectContaining({ path: '/dueAt' })]);
  expectProblem(await caseworker.post(`/journeys/${id}/steps/no-such-step/request-information`, body), 404);

  const asked = await caseworker.post(path, body);
  expect(asked.status).toBe(200);
  expect(asked.body).toMatchObject({ journeyId: id, step: 'premium', status: 'waiting', waitingFor: 'information', clock: { suspended: true, suspendedFor: 'information' }, information: { question: body.question, by: 'cw-1' } });
  // A second request while one is open: the journey refuses it.
  expect(expectProblem(await colleague.post(path, body), 409).detail).toMatch(/already asked/);

  // The citizen's task: the question, its own due date; the journey shows the clock standing still.
  const task = await pollUntil('the information task', async () => (await citizen.get('/tasks?view=open')).body.items.find((t: any) => t.journeyId === id && t.purpose === 'information'));
  expect(task).toMatchObject({ step: 'premium', assignee: 'citizen', status: 'open', data: { question: body.question }, dueAt: body.dueAt });
  const suspended = await waitForJourney(id, (j) => stepOf(j, 'premium').clock?.suspended === true);
  expect(stepOf(suspended, 'premium')).toMatchObject({ overdue: false, information: { question: body.question }, task: { id: task.id, status: 'open' } });
  // The caseworker's own task is still theirs, waiting.
  expect((await caseworker.get('/tasks?view=open')).body.items.filter((t: any) => t.journeyId === id && t.step === 'premium').map((t: any) => t.purpose)).toEqual(['task']);

  // An answer says something.
  expect(expectProblem(await citizen.post(`/tasks/${task.id}/complete`, {}), 422).errors).toEqual([expect.objectContaining({ path: '/comment' })]);
  await new Promise((r) => setTimeout(r, 1500));
  const answered = await citizen.post(`/tasks/${task.id}/complete`, { comment: 'Het contract zit in de bijlage.' });
  expect(answered.status).toBe(200);
  expect(answered.body).toMatchObject({ status: 'completed', completedBy: 'citizen-1', comment: 'Het contract zit in de bijlage.' });

  const resumed = await waitForJourney(id, (j) => stepOf(j, 'premium').clock?.suspended === false);
  const premium = stepOf(resumed, 'premium');
  expect(premium.clock.suspendedDays).toBe(0);
  expect(Date.parse(premium.dueAt) - Date.parse(dueBefore)).toBeGreaterThanOrEqual(1500);
  expect(resumed.timeline.map((e: any) => e.type).filter((t: string) => /information|clock/.test(t))).toEqual(['step.information_requested', 'step.clock_suspended', 'step.information_provided', 'step.clock_resumed']);
  const audit = await auditor.get(`/audit?target=${id}/premium&action=step.information_requested`);
  expect(audit.body.items).toEqual([expect.objectContaining({ actor: 'cw-1', action: 'step.information_requested' })]);
});

test('a caseworker extends a term once, with a reason, within the maximum; a step without one cannot be extended', async () => {
  const { id, journey } = await startJourney();
  const path = `/journeys/${id}/steps/premium/extend`;
  const dueBefore = stepOf(journey, 'premium').dueAt;

  expectProblem(await stack.api.post(path, { extension: 'P10D', reason: 'More time' }), 401);
  expectProblem(await citizen.post(path, { extension: 'P10D', reason: 'More time' }), 403);
  expectProblem(await otherCaseworker.post(path, { extension: 'P10D', reason: 'More time' }), 404);
  expectProblem(await caseworker.post(path, { extension: 'P10D' }), 400);
  expectProblem(await caseworker.post(path, { extension: 'ten days', reason: 'More time' }), 400);
  expect(expectProblem(await caseworker.post(path, { extension: 'P0D', reason: 'More time' }), 422).errors).toEqual([expect.objectContaining({ path: '/extension' })]);
  expect(expectProblem(await caseworker.post(path, { extension: 'P31D', reason: 'More time' }), 409).detail).toBe('The extension P31D is longer than this step allows (at most P30D).');
  expect(expectProblem(await caseworker.post(`/journeys/${id}/steps/visit/extend`, { extension: 'P1D', reason: 'More time' }), 409).detail).toMatch(/declares no maximum extension/);

  const extended = await caseworker.post(path, { extension: 'P14D', reason: 'Het advies van de expert duurt langer.' });
  expect(extended.status).toBe(200);
  expect(extended.body).toMatchObject({ step: 'premium', dueAt: new Date(Date.parse(dueBefore) + 14 * 86_400_000).toISOString(), clock: { extension: { duration: 'P14D', reason: 'Het advies van de expert duurt langer.', by: 'cw-1' } } });
  expect(expectProblem(await colleague.post(path, { extension: 'P1D', reason: 'Again' }), 409).detail).toMatch(/already extended/);

  const after = await waitForJourney(id, (j) => !!stepOf(j, 'premium').clock?.extension);
  expect(stepOf(after, 'premium').dueAt).toBe(extended.body.dueAt);
  const [event] = after.timeline.filter((e: any) => e.type === 'step.term_extended');
  expect(event).toMatchObject({ step: 'premium', detail: { by: 'cw-1', extension: 'P14D', reason: 'Het advies van de expert duurt langer.', previousDueAt: dueBefore, dueAt: extended.body.dueAt } });
  // The caseworker's task follows the new due date.
  const task = await pollUntil('the moved task', async () => (await caseworker.get('/tasks?view=open')).body.items.find((t: any) => t.journeyId === id && t.step === 'premium' && t.dueAt === extended.body.dueAt));
  expect(task.overdue).toBe(false);
  const audit = await auditor.get(`/audit?target=${id}/premium&action=step.term_extended`);
  expect(audit.body.items).toEqual([expect.objectContaining({ actor: 'cw-1', detail: expect.objectContaining({ extension: 'P14D' }) })]);
});
