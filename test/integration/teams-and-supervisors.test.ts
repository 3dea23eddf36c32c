/**
 * Escalation that reaches a person, and team queues (issue 15, part 4), on the gateway in-process,
 * a fresh PostgreSQL database and the real Temporal server. One journey with two caseworker steps
 * in parallel: `intake` goes to team intake's queue and escalates after 3 s; `check` has no team.
 * - a caseworker sees the agency's tasks of no team and their teams' tasks, not another team's;
 * - claim and release (the holder only), and a claim refused outside one's queue;
 * - the escalation tells the agency's supervisors (a notice in their language) and puts the task
 *   in their view; a supervisor of another agency and a caseworker see neither;
 * - a supervisor reassigns the task to a caseworker (who holds it) and to a team (its queue),
 *   audited and in the timeline; a caseworker and another agency's supervisor cannot.
 */
import { randomUUID } from 'node:crypto';
import { WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import type { DataSource } from 'typeorm';
import { connectClient } from '@levensloop/temporal';
import { journeyWorkflowId, reassignTaskUpdate } from '@levensloop/contracts/workflow';
import { startInProcessGateway, type InProcessGateway } from '../support/gateway';
import { expectProblem, type Api } from '../support/http';
import { recordHistory } from '../support/histories';
import { pollUntil } from '../support/poll';
import { testTemporalConfig } from '../support/temporal';

jest.setTimeout(120_000);

const t = (en: string) => ({ nl: `${en} (nl)`, fr: `${en} (fr)`, en });

let gateway: InProcessGateway;
let ds: DataSource;
let client: Client;
let admin: Api, citizen: Api, intakeMember: Api, appealsMember: Api, plain: Api, supervisor: Api, otherSupervisor: Api;
let journeyId: string;
let intakeTask: string;
let checkTask: string;

const row = async (id: string) => (await ds.query(`SELECT status, claimed_by, team FROM tasks WHERE id = $1`, [id]))[0];
const ids = (res: { body: { items: Array<{ id: string }> } }) => res.body.items.map((i) => i.id);
const refusal = (err: unknown) => (err instanceof WorkflowUpdateFailedError ? (err.cause as Error).message : `not refused: ${String(err)}`);

beforeAll(async () => {
  gateway = await startInProcessGateway('teams-and-supervisors');
  ds = gateway.ds;
  client = await connectClient(testTemporalConfig());
  const examples = (await (await fetch(`${gateway.sandbox.url}/_sandbox/population/examples`)).json()) as { personWithoutContact: string };
  const subject = examples.personWithoutContact;
  [admin, citizen, intakeMember, appealsMember, plain, supervisor, otherSupervisor] = await Promise.all([
    gateway.as({ role: 'catalog-admin', sub: 'admin' }),
    gateway.as({ role: 'citizen', nationalNumber: subject, sub: 'citizen-1' }),
    gateway.as({ role: 'caseworker', agency: 'municipality', sub: 'cw-intake', teams: ['intake'] }),
    gateway.as({ role: 'caseworker', agency: 'municipality', sub: 'cw-appeals', teams: ['appeals'] }),
    gateway.as({ role: 'caseworker', agency: 'municipality', sub: 'cw-plain' }),
    gateway.as({ role: 'supervisor', agency: 'municipality', sub: 'sv-municipality' }),
    gateway.as({ role: 'supervisor', agency: 'bank', sub: 'sv-bank' }),
  ]);
  const agency = await admin.post('/agencies', { code: 'municipality', names: t('Municipality') });
  expect({ status: agency.status, body: agency.body }).toMatchObject({ status: 201 });
  // The catalog validates the team: a citizen step has no caseworker queue.
  const wrong = await admin.post('/agencies/municipality/steps', { key: 'wrong', kind: 'citizen', titles: t('Wrong'), serviceNorm: { target: 'P1D' }, team: 'intake' });
  expect(expectProblem(wrong, 422).errors).toEqual([{ path: '/team', message: expect.stringMatching(/only caseworker and decision steps/) }]);
  const steps = [
    { key: 'intake', kind: 'caseworker', titles: t('Intake'), serviceNorm: { target: 'PT2S', escalate: 'PT3S' }, team: 'intake' },
    { key: 'check', kind: 'caseworker', titles: t('Check'), serviceNorm: { target: 'P10D' } },
  ];
  for (const step of steps) {
    expect((await admin.post('/agencies/municipality/steps', step)).status).toBe(201);
    expect((await admin.post(`/agencies/municipality/steps/${step.key}/versions/1/publish`)).status).toBe(200);
  }
  expect((await admin.get('/agencies/municipality/steps/intake/versions/1')).body).toMatchObject({ team: 'intake' });
  const nodes = steps.map((s) => ({ key: s.key, step: { agency: 'municipality', key: s.key, version: 1 } }));
  expect((await admin.post('/life-events', { key: 'teams', audience: 'citizen', titles: t('Teams'), nodes })).status).toBe(201);
  expect((await admin.post('/life-events/teams/versions/1/publish')).status).toBe(200);
  const started = await citizen.post('/journeys', { lifeEvent: { key: 'teams' }, subject: { type: 'person', id: subject } }, { 'idempotency-key': `teams-${randomUUID()}` });
  expect(started.status).toBe(201);
  journeyId = started.body.id;
  intakeTask = `${journeyId}.intake`;
  checkTask = `${journeyId}.check`;
  await pollUntil('both tasks', async () => ((await ds.query(`SELECT count(*)::int AS n FROM tasks WHERE journey_id = $1`, [journeyId]))[0].n === 2 ? true : undefined));
});

afterAll(async () => {
  await client?.connection.close();
  await gateway?.close();
});

describe('team queues', () => {
  test("the step's task opens in its team's queue; a caseworker sees no-team tasks and their teams' tasks only", async () => {
    expect(await row(intakeTask)).toEqual({ status: 'open', claimed_by: null, team: 'intake' });
    expect(await row(checkTask)).toEqual({ status: 'open', claimed_by: null, team: null });
    expect(ids(await intakeMember.get('/tasks')).sort()).toEqual([checkTask, intakeTask].sort());
    expect(ids(await appealsMember.get('/tasks'))).toEqual([checkTask]);
    expect(ids(await plain.get('/tasks'))).toEqual([checkTask]);
    expect((await intakeMember.get(`/tasks/${intakeTask}`)).body).toMatchObject({ team: 'intake', status: 'open' });
    // Another team's task answers as one that does not exist, and cannot be claimed.
    expectProblem(await appealsMember.get(`/tasks/${intakeTask}`), 404);
    expectProblem(await appealsMember.post(`/tasks/${intakeTask}/claim`), 404);
    // A supervisor sees every task of the agency.
    expect(ids(await supervisor.get('/tasks')).sort()).toEqual([checkTask, intakeTask].sort());
    expect(ids(await otherSupervisor.get('/tasks'))).toEqual([]);
  });

  test('claim and release: the holder releases, a colleague cannot, and a released task is open to the queue again', async () => {
    expect((await plain.post(`/tasks/${checkTask}/claim`)).body).toMatchObject({ status: 'claimed', claimedBy: 'cw-plain' });
    expect(expectProblem(await appealsMember.post(`/tasks/${checkTask}/release`), 409).detail).toBe('Only the caseworker who claimed an open task can release it.');
    expect(await row(checkTask)).toEqual({ status: 'claimed', claimed_by: 'cw-plain', team: null });
    const released = await plain.post(`/tasks/${checkTask}/release`);
    expect(released.status).toBe(200);
    expect(released.body).toMatchObject({ status: 'open' });
    expect(released.body.claimedBy).toBeUndefined();
    expect(await row(checkTask)).toEqual({ status: 'open', claimed_by: null, team: null });
    // Releasing what one does not hold (anymore) is refused; another caseworker may now claim it.
    expectProblem(await plain.post(`/tasks/${checkTask}/release`), 409);
    expect((await appealsMember.post(`/tasks/${checkTask}/claim`)).body).toMatchObject({ status: 'claimed', claimedBy: 'cw-appeals' });
    expect((await appealsMember.post(`/tasks/${checkTask}/release`)).body).toMatchObject({ status: 'open' });
  });
});

describe('an escalation reaches the supervisors', () => {
  test("the agency's supervisors get a notice in their language, and the task is in their escalated view", async () => {
    const notices = await pollUntil('the supervisors notice', async () => {
      const res = await supervisor.get('/supervision/notices?lang=fr');
      return res.body.items?.length ? res.body.items : undefined;
    }, { timeoutMs: 20_000 });
    expect(notices).toEqual([
      expect.objectContaining({
        kind: 'task.escalated',
        journeyId,
        step: 'intake',
        agency: 'municipality',
        language: 'fr',
        subject: 'Escalade : Intake (fr)',
        body: expect.stringContaining('« Teams (fr) » est en retard'),
        task: { id: intakeTask, status: 'open', team: 'intake' },
      }),
    ]);
    // In German (Accept-Language), the titles falling back to Dutch.
    expect((await supervisor.request('GET', '/supervision/notices', undefined, { 'accept-language': 'de' })).body.items[0].subject).toBe('Eskalation: Intake (nl)');
    expect(ids(await supervisor.get('/tasks?view=escalated'))).toEqual([intakeTask]);
    // Told once per step, however often the journey projects.
    expect((await ds.query(`SELECT count(*)::int AS n FROM supervisor_notices WHERE journey_id = $1`, [journeyId]))[0].n).toBe(1);
    // Not another agency's supervisor, and not a caseworker.
    expect((await otherSupervisor.get('/supervision/notices')).body.items).toEqual([]);
    expect(ids(await otherSupervisor.get('/tasks?view=escalated'))).toEqual([]);
    expectProblem(await intakeMember.get('/supervision/notices'), 403);
    // The supervisor follows the journey's page as its agency's caseworkers do.
    expect((await supervisor.get(`/journeys/${journeyId}`)).status).toBe(200);
    expectProblem(await otherSupervisor.get(`/journeys/${journeyId}`), 404);
  });
});

describe('a supervisor reassigns', () => {
  test('a caseworker or another agency\'s supervisor cannot; bad requests are told what to fix', async () => {
    expectProblem(await intakeMember.post(`/tasks/${intakeTask}/reassign`, { caseworker: 'cw-intake' }), 403);
    expectProblem(await otherSupervisor.post(`/tasks/${intakeTask}/reassign`, { caseworker: 'cw-plain' }), 404);
    expect(expectProblem(await supervisor.post(`/tasks/${intakeTask}/reassign`, { caseworker: 'cw-plain', team: 'appeals' }), 422).detail).toMatch(/one caseworker or to one team/);
    expectProblem(await supervisor.post(`/tasks/${intakeTask}/reassign`, {}), 400);
    expect(expectProblem(await supervisor.post(`/tasks/${intakeTask}/reassign`, { caseworker: '  ' }), 422).errors).toEqual([{ path: '/caseworker', message: expect.stringMatching(/must name someone/) }]);
    expectProblem(await supervisor.post(`/tasks/${intakeTask}/reassign`, { team: 'Not A Team' }), 400);
    // Nothing would change: the workflow refuses it.
    expect(expectProblem(await supervisor.post(`/tasks/${intakeTask}/reassign`, { team: 'intake' }), 409).detail).toMatch(/already in the queue of team intake/);
    // A supervisor works no task themselves.
    expectProblem(await supervisor.post(`/tasks/${intakeTask}/claim`), 403);
    expect(await row(intakeTask)).toEqual({ status: 'open', claimed_by: null, team: 'intake' });
  });

  test('to a caseworker outside the team: they hold it, see it and may complete it', async () => {
    const moved = await supervisor.post(`/tasks/${intakeTask}/reassign`, { caseworker: 'cw-plain', reason: 'Intake is short of staff' });
    expect(moved.status).toBe(200);
    expect(moved.body).toMatchObject({ status: 'claimed', claimedBy: 'cw-plain', team: 'intake' });
    expect(await row(intakeTask)).toEqual({ status: 'claimed', claimed_by: 'cw-plain', team: 'intake' });
    expect(ids(await plain.get('/tasks?view=mine'))).toEqual([intakeTask]);
    // The team's member no longer may complete it: it is cw-plain's.
    expectProblem(await intakeMember.post(`/tasks/${intakeTask}/complete`, { outcome: 'approve' }), 409);
  });

  test("to a team: the task goes to that queue unclaimed, the old team no longer sees it; audited and in the timeline", async () => {
    const moved = await supervisor.post(`/tasks/${intakeTask}/reassign`, { team: 'appeals' });
    expect(moved.status).toBe(200);
    expect(moved.body).toMatchObject({ status: 'open', team: 'appeals' });
    expect(await row(intakeTask)).toEqual({ status: 'open', claimed_by: null, team: 'appeals' });
    expect(ids(await appealsMember.get('/tasks'))).toContain(intakeTask);
    expect(ids(await intakeMember.get('/tasks'))).not.toContain(intakeTask);
    expectProblem(await plain.get(`/tasks/${intakeTask}`), 404);
    // The workflow's own rule, asked directly: a step without a task is refused.
    const handle = client.workflow.getHandle(journeyWorkflowId(journeyId));
    expect(refusal(await handle.executeUpdate(reassignTaskUpdate, { args: [{ nodeKey: 'nope', team: 'x1', by: 'sv' }] }).catch((e) => e))).toBe("Journey has no step 'nope'.");

    const timeline = await pollUntil('the reassignments in the timeline', async () => {
      const rows = await ds.query(`SELECT detail FROM journey_events WHERE journey_id = $1 AND type = 'step.reassigned' ORDER BY seq`, [journeyId]);
      return rows.length === 2 ? rows.map((r: { detail: unknown }) => r.detail) : undefined;
    });
    expect(timeline).toEqual([
      { by: 'sv-municipality', caseworker: 'cw-plain', fromTeam: 'intake', reason: 'Intake is short of staff' },
      { by: 'sv-municipality', team: 'appeals', fromCaseworker: 'cw-plain', fromTeam: 'intake' },
    ]);
    const audit = await ds.query(`SELECT actor, detail FROM audit_log WHERE action = 'task.reassigned' AND target_id = $1 ORDER BY id`, [intakeTask]);
    expect(audit).toEqual([
      { actor: 'sv-municipality', detail: { caseworker: 'cw-plain', from: { caseworker: null, team: 'intake' }, reason: 'Intake is short of staff' } },
      { actor: 'sv-municipality', detail: { team: 'appeals', from: { caseworker: 'cw-plain', team: 'intake' } } },
    ]);
    // The new team works it to the end.
    expect((await appealsMember.post(`/tasks/${intakeTask}/claim`)).body).toMatchObject({ status: 'claimed', claimedBy: 'cw-appeals' });
    expect((await appealsMember.post(`/tasks/${intakeTask}/complete`, { outcome: 'approve' })).body).toMatchObject({ status: 'completed', completedBy: 'cw-appeals' });
    expectProblem(await supervisor.post(`/tasks/${intakeTask}/reassign`, { team: 'intake' }), 409);
    // The agency's other task finishes the journey; its history (team queue, escalation, both reassignments) is a replay fixture.
    expect((await plain.post(`/tasks/${checkTask}/complete`, { outcome: 'approve' })).body).toMatchObject({ status: 'completed' });
    await pollUntil('the journey to complete', async () => ((await ds.query(`SELECT status FROM journeys WHERE id = $1`, [journeyId]))[0]?.status === 'completed' ? true : undefined));
    await recordHistory('team-reassign', handle);
  });
});
