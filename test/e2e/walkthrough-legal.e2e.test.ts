/**
 * The legal side of one journey, end to end (issue 15's walk-through): "Renovating a home" from
 * the example catalog (infra/catalog), on the whole stack as processes (sandbox, worker,
 * dispatcher, gateway; real PostgreSQL and Temporal). The caseworker asks the applicant for
 * information (the term stands still), the answer comes (it runs again, the due date moves by the
 * time it stood still), the term is extended once (the due date moves by the extension); the
 * premium is refused by rule, the applicant objects, another caseworker revises the refusal, the
 * payment that depended on it runs; then the applicant calls the renovation off and what was done
 * is undone, latest first: the premium is claimed back at the agency, the file closed by hand.
 *
 * The timeline, one line per event, for the closing note:
 *   WALKTHROUGH_OUT=/tmp/walkthrough-legal.txt SKIP_LINT=1 npm test -- --selectProjects e2e --testPathPatterns walkthrough-legal && cat /tmp/walkthrough-legal.txt
 */
import { writeFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { applyExampleCatalog } from '../support/catalog';
import { createTestDatabase } from '../support/database';
import type { Api } from '../support/http';
import { pollUntil } from '../support/poll';
import { agencyCalls, startStack, type Stack } from '../support/stack';
import { timelineText } from '../support/walkthrough';

jest.setTimeout(300_000);

const APPLICANT = '85073003328';
const DAY = 86_400_000;
let db: { url: string; drop: () => Promise<void> };
let stack: Stack;
let auditor: Api;
let applicant: Api;
let lotte: Api; // checks the application
let jonas: Api; // reviews the objection

beforeAll(async () => {
  db = await createTestDatabase('e2e_walkthrough_legal');
  stack = await startStack(db.url, 'walkthrough-legal', { dispatcher: true });
  await applyExampleCatalog(db.url, stack.sandboxUrl);
  auditor = stack.api.as(await stack.token({ role: 'auditor', sub: 'auditor-1' }));
  applicant = stack.api.as(await stack.token({ role: 'citizen', nationalNumber: APPLICANT, sub: 'citizen-1' }));
  lotte = stack.api.as(await stack.token({ role: 'caseworker', agency: 'energy-agency', sub: 'cw-lotte' }));
  jonas = stack.api.as(await stack.token({ role: 'caseworker', agency: 'energy-agency', sub: 'cw-jonas' }));
});

afterAll(async () => {
  await stack?.stop();
  await db?.drop();
});

const stepOf = (journey: any, key: string) => journey.steps.find((s: any) => s.key === key);
const waitForJourney = (id: string, what: string, until: (j: any) => boolean, timeoutMs = 60_000) =>
  pollUntil(
    what,
    async () => {
      const res = await auditor.get(`/journeys/${id}`);
      return res.status === 200 && until(res.body) ? res.body : undefined;
    },
    { timeoutMs },
  );
const openTask = (api: Api, id: string, step: string, purpose: string) =>
  pollUntil(`the ${purpose} task of ${step}`, async () => (await api.get('/tasks?view=open')).body.items?.find((t: any) => t.journeyId === id && t.step === step && t.purpose === purpose));
const ok = (res: { status: number; body: any }, status = 200) => {
  expect({ status: res.status, body: res.body }).toMatchObject({ status });
  return res.body;
};

test('one journey: suspended, resumed, extended, refused, objected to, revised, re-run, cancelled and undone', async () => {
  // An income just above the limit: the rule refuses the premium.
  const started = ok(await applicant.post('/journeys', { lifeEvent: { key: 'renovating-a-home' }, subject: { type: 'person', id: APPLICANT }, data: { income: 61200 } }, { 'idempotency-key': randomUUID() }), 201);
  const id = started.id as string;
  let journey = await waitForJourney(id, 'the check waiting', (j) => stepOf(j, 'check')?.task?.status === 'open');
  const dueAtStart = stepOf(journey, 'check').dueAt as string;
  expect(Date.parse(dueAtStart) - Date.parse(stepOf(journey, 'check').startedAt ?? journey.createdAt)).toBeGreaterThan(29 * DAY);

  // 1. The caseworker asks for information: the term stands still until the applicant answers.
  const question = 'Stuur de offerte van de aannemer voor het dak.';
  ok(await lotte.post(`/journeys/${id}/steps/check/request-information`, { question, dueAt: new Date(Date.now() + 14 * DAY).toISOString() }));
  const info = await openTask(applicant, id, 'check', 'information');
  await waitForJourney(id, 'the clock suspended', (j) => stepOf(j, 'check').clock?.suspended === true);
  await new Promise((r) => setTimeout(r, 2000));
  ok(await applicant.post(`/tasks/${info.id}/complete`, { comment: 'De offerte van Dakwerken Peeters zit in de bijlage.' }));
  journey = await waitForJourney(id, 'the clock resumed', (j) => stepOf(j, 'check').clock?.suspended === false);
  const dueAtResumed = stepOf(journey, 'check').dueAt as string;
  // Moved by the time it stood still (at least the two seconds waited), not more than a minute.
  expect(Date.parse(dueAtResumed) - Date.parse(dueAtStart)).toBeGreaterThanOrEqual(2000);
  expect(Date.parse(dueAtResumed) - Date.parse(dueAtStart)).toBeLessThan(60_000);

  // 2. The term is extended once, with a reason: the due date moves by exactly the extension.
  const extended = ok(await lotte.post(`/journeys/${id}/steps/check/extend`, { extension: 'P30D', reason: 'Een expert moet het dak ter plaatse bekijken.' }));
  expect(extended.dueAt).toBe(new Date(Date.parse(dueAtResumed) + 30 * DAY).toISOString());

  // 3. The application checked: the premium is decided by rule, refused (income above the limit).
  const check = await openTask(lotte, id, 'check', 'task');
  expect(check.dueAt).toBe(extended.dueAt);
  ok(await lotte.post(`/tasks/${check.id}/complete`, { outcome: 'approve', comment: 'Aanvraag volledig.' }));
  journey = await waitForJourney(id, 'the premium refused, the payment skipped', (j) => stepOf(j, 'payment')?.status === 'skipped' && stepOf(j, 'works')?.status === 'skipped');
  expect(stepOf(journey, 'premium')).toMatchObject({ status: 'completed' });
  const [refusal] = (await applicant.get(`/journeys/${id}/decisions?lang=en`)).body.items;
  expect(refusal).toMatchObject({ node: 'premium', outcome: 'deny' });
  const [objectable] = (await applicant.get(`/journeys/${id}/objections`)).body.items;
  expect(objectable).toMatchObject({ node: 'premium', term: 'P30D', open: true, reviewingAgency: 'energy-agency' });

  // 4. The applicant objects within the term; another caseworker revises the refusal to a grant.
  ok(await applicant.post(`/journeys/${id}/decisions/premium/objections`, { reason: 'Mijn inkomen van vorig jaar bevat een eenmalige ontslagvergoeding.' }), 201);
  await openTask(jonas, id, 'premium', 'review');
  const reviewed = ok(
    await jonas.post(`/journeys/${id}/decisions/premium/objection/review?lang=en`, {
      verdict: 'grant',
      explanation: {
        nl: 'Zonder de eenmalige ontslagvergoeding is uw inkomen lager dan 60.000 euro: u krijgt de premie.',
        fr: "Sans l'indemnité de licenciement unique, votre revenu est inférieur à 60.000 euros : vous recevez la prime.",
        de: 'Ohne die einmalige Abfindung liegt Ihr Einkommen unter 60.000 Euro: Sie erhalten die Prämie.',
        en: 'Without the one-off severance pay your income is below EUR 60,000: you receive the premium.',
      },
    }),
  );
  expect(reviewed).toMatchObject({ status: 'revised', review: { verdict: 'grant', outcome: 'grant', by: 'cw-jonas' } });

  // 5. What depended on the decision runs again: the premium is paid, the works are to be reported.
  journey = await waitForJourney(id, 'the payment done, the report waiting', (j) => stepOf(j, 'payment')?.status === 'completed' && stepOf(j, 'works')?.status === 'waiting');
  expect(journey.status).toBe('running');

  // 6. The applicant calls the renovation off: the payment is claimed back, then the file closed by hand.
  ok(await applicant.post(`/journeys/${id}/cancel`, { reason: 'De renovatie gaat niet door.' }));
  const close = await pollUntil('the compensation task of the check', async () => (await lotte.get('/tasks?view=open')).body.items?.find((t: any) => t.id === `${id}.check.compensation`));
  expect(close).toMatchObject({ purpose: 'compensation', agency: 'energy-agency' });
  ok(await lotte.post(`/tasks/${close.id}/complete`, { outcome: 'approve', comment: 'Dossier afgesloten.' }));
  journey = await waitForJourney(id, 'the journey cancelled', (j) => j.status === 'cancelled');
  const claimedBack = (await agencyCalls(stack, 'energy-agency', 'pay-premium/compensate')) as Array<{ outcome: string; idempotencyKey: string }>;
  expect(claimedBack.filter((c) => c.idempotencyKey === `${id}/payment/compensation` && c.outcome === 'effective')).toHaveLength(1);

  // The timeline, in order (the steps' own bookkeeping left out).
  const events = (journey.timeline as Array<{ type: string; step?: string; at: string; detail?: any }>).filter((e) => WALKED.has(e.type));
  expect(events.map((e) => `${e.type}${e.step ? `:${e.step}` : ''}`)).toEqual([
    'journey.started',
    'step.task_created:check',
    'step.information_requested:check',
    'step.clock_suspended:check',
    'step.information_provided:check',
    'step.clock_resumed:check',
    'step.term_extended:check',
    'step.completed:check',
    'step.decided:premium',
    'step.skipped:payment',
    'step.skipped:works',
    'journey.completed',
    'decision.objection_filed:premium',
    'decision.objection_revised:premium',
    'step.rerun:payment',
    'step.rerun:works',
    'step.completed:payment',
    'step.task_created:works',
    'journey.compensating',
    'step.compensating:payment',
    'step.compensated:payment',
    'step.compensation_task_created:check',
    'step.compensated:check',
    'journey.cancelled',
  ]);
  const detail = (type: string) => events.find((e) => e.type === type)!.detail;
  expect(detail('step.clock_resumed')).toMatchObject({ dueAt: dueAtResumed });
  expect(detail('step.term_extended')).toMatchObject({ by: 'cw-lotte', extension: 'P30D', previousDueAt: dueAtResumed, dueAt: extended.dueAt });
  expect(detail('step.decided')).toMatchObject({ outcome: 'deny', rule: 'renovation-premium', ruleVersion: 1 });
  expect(detail('decision.objection_revised')).toMatchObject({ by: 'cw-jonas', from: 'deny', outcome: 'grant' });
  expect(detail('journey.cancelled')).toMatchObject({ undone: ['payment', 'check'], by: 'citizen-1' });

  // What the applicant was told, in order, in their language (nl).
  const told = await pollUntil('the messages sent', async () => {
    const items = ((await applicant.get('/me/notifications?limit=100')).body.items ?? []).filter((n: any) => n.journeyId === id);
    return items.some((n: any) => n.category === 'journey.cancelled') ? items.reverse() : undefined;
  });
  expect(told.map((n: any) => n.category)).toEqual([
    'journey.started',
    'information.requested',
    'term.resumed',
    'term.extended',
    'decision.made',
    // The refusal finished every step: the file is complete (while the term to object still runs).
    'journey.completed',
    'objection.received',
    'objection.decided',
    'action.needed',
    'journey.cancelled',
  ]);
  const text = (category: string) => JSON.stringify(told.find((n: any) => n.category === category));
  expect(text('information.requested')).toContain(question);
  expect(text('term.extended')).toContain('Een expert moet het dak ter plaatse bekijken.');
  expect(text('objection.decided')).toContain('Zonder de eenmalige ontslagvergoeding');

  if (process.env.WALKTHROUGH_OUT) writeFileSync(process.env.WALKTHROUGH_OUT, timelineText(journey, told));
});

/** The events the walk-through shows (not the projection's and timers' own). */
const WALKED = new Set([
  'journey.started',
  'step.task_created',
  'step.information_requested',
  'step.clock_suspended',
  'step.information_provided',
  'step.clock_resumed',
  'step.term_extended',
  'step.completed',
  'step.decided',
  'step.skipped',
  'journey.completed',
  'decision.objection_filed',
  'decision.objection_revised',
  'decision.objection_upheld',
  'step.rerun',
  'journey.compensating',
  'step.compensating',
  'step.compensation_task_created',
  'step.compensated',
  'journey.cancelled',
]);
