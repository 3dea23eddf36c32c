/**
 * Tasks are worked through the journey workflow (issue 13: one writer of tasks, the projection),
 * on the gateway in-process, a fresh PostgreSQL database and the real Temporal server:
 * - two caseworkers racing to claim the same task: the workflow accepts exactly one, the other 409;
 * - the workflow itself refuses a release by whoever does not hold the claim, and a completion by
 *   a colleague of the holder (the gateway refuses both earlier too, for the row's state);
 * - a completed consent or data task's row carries who answered and the answer's summary (the
 *   consents as given; of missing data only which fields were given), written by the projection.
 */
import { randomUUID } from 'node:crypto';
import { WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import { connectClient } from '@levensloop/temporal';
import type { DataSource } from 'typeorm';
import { claimTaskUpdate, completeTaskUpdate, journeyWorkflowId, releaseTaskUpdate } from '@levensloop/contracts/workflow';
import { startInProcessGateway, type InProcessGateway } from '../support/gateway';
import { expectProblem, type Api } from '../support/http';
import { pollUntil } from '../support/poll';
import { testTemporalConfig } from '../support/temporal';

jest.setTimeout(120_000);

const EMAIL = 'national-register/contact.email';
const t = (en: string) => ({ nl: en, en });

let gateway: InProcessGateway;
let ds: DataSource;
let client: Client;
let admin: Api, first: Api, second: Api, citizen: Api;
let journeyId: string;

const taskRow = async (id: string) =>
  (await ds.query(`SELECT status, claimed_by, completed_by, outcome, data, comment FROM tasks WHERE id = $1`, [id]))[0];
const openTask = (purpose: string) =>
  pollUntil(`the ${purpose} task`, async () => (await ds.query(`SELECT id FROM tasks WHERE journey_id = $1 AND purpose = $2 AND status = 'open'`, [journeyId, purpose]))[0]?.id as string | undefined);
const refusal = (err: unknown) => (err instanceof WorkflowUpdateFailedError ? (err.cause as Error).message : `not refused: ${String(err)}`);

beforeAll(async () => {
  gateway = await startInProcessGateway('tasks-via-workflow');
  ds = gateway.ds;
  client = await connectClient(testTemporalConfig());
  const examples = (await (await fetch(`${gateway.sandbox.url}/_sandbox/population/examples`)).json()) as { personWithoutContact: string };
  const subject = examples.personWithoutContact;
  [admin, first, second, citizen] = await Promise.all([
    gateway.as({ role: 'catalog-admin', sub: 'admin' }),
    gateway.as({ role: 'caseworker', agency: 'municipality', sub: 'cw-first' }),
    gateway.as({ role: 'caseworker', agency: 'municipality', sub: 'cw-second' }),
    gateway.as({ role: 'citizen', nationalNumber: subject, sub: 'citizen-1' }),
  ]);
  expect((await admin.post('/agencies', { code: 'municipality', names: t('municipality') })).status).toBe(201);
  // A caseworker step that needs the citizen's e-mail on consent: this person has none in the register, so it is asked too.
  const dataRequirements = [{ source: 'national-register', field: 'contact.email', purpose: t('To answer'), legalBasis: { type: 'consent', reference: 'Consent' } }];
  expect((await admin.post('/agencies/municipality/steps', { key: 'review', kind: 'caseworker', titles: t('Review'), serviceNorm: { target: 'P10D' }, dataRequirements })).status).toBe(201);
  expect((await admin.post('/agencies/municipality/steps/review/versions/1/publish')).status).toBe(200);
  expect((await admin.post('/life-events', { key: 'review', audience: 'citizen', titles: t('Review'), nodes: [{ key: 'review', step: { agency: 'municipality', key: 'review', version: 1 } }] })).status).toBe(201);
  expect((await admin.post('/life-events/review/versions/1/publish')).status).toBe(200);
  const started = await citizen.post('/journeys', { lifeEvent: { key: 'review' }, subject: { type: 'person', id: subject } }, { 'idempotency-key': `review-${randomUUID()}` });
  expect(started.status).toBe(201);
  journeyId = started.body.id;
});

afterAll(async () => {
  await client?.connection.close();
  await gateway?.close();
});

describe("a citizen's answers", () => {
  test('close the consent task with the consents as given, and the data task with which fields were given (not the values)', async () => {
    const consentTask = await openTask('consent');
    const consented = await citizen.post(`/tasks/${consentTask}/complete`, { consents: { [EMAIL]: true } });
    expect(consented.status).toBe(200);
    expect(consented.body).toMatchObject({ status: 'completed', completedBy: 'citizen-1', data: { consents: { [EMAIL]: true } } });
    expect(await taskRow(consentTask)).toEqual({ status: 'completed', claimed_by: null, completed_by: 'citizen-1', outcome: null, data: { consents: { [EMAIL]: true } }, comment: null });

    const dataTask = await openTask('data');
    const given = await citizen.post(`/tasks/${dataTask}/complete`, { values: { [EMAIL]: 'someone@example.org' }, comment: 'My work address' });
    expect(given.status).toBe(200);
    expect(await taskRow(dataTask)).toEqual({ status: 'completed', claimed_by: null, completed_by: 'citizen-1', outcome: null, data: { given: [EMAIL] }, comment: 'My work address' });
  });
});

describe('the caseworker task', () => {
  let task: string;
  beforeAll(async () => {
    task = await openTask('task');
  });

  test('two caseworkers racing to claim it: exactly one wins, the other is told who holds it', async () => {
    const answers = await Promise.all([first.post(`/tasks/${task}/claim`), second.post(`/tasks/${task}/claim`)]);
    expect(answers.map((a) => a.status).sort()).toEqual([200, 409]);
    const winner = answers.find((a) => a.status === 200)!.body.claimedBy as string;
    const loser = answers.find((a) => a.status === 409)!;
    expect(['cw-first', 'cw-second']).toContain(winner);
    expect(expectProblem(loser, 409).detail).toBe(`The task is already claimed by ${winner}.`);
    expect(await taskRow(task)).toMatchObject({ status: 'claimed', claimed_by: winner });
    // The holder's claim is now the workflow's: the gateway's answers follow it.
    if (winner !== 'cw-first') expect((await second.post(`/tasks/${task}/release`)).body).toMatchObject({ status: 'open' });
    else expect((await first.post(`/tasks/${task}/release`)).body).toMatchObject({ status: 'open' });
    expect(await taskRow(task)).toMatchObject({ status: 'open', claimed_by: null });
    expect((await first.post(`/tasks/${task}/claim`)).body).toMatchObject({ status: 'claimed', claimedBy: 'cw-first' });
  });

  test('the workflow refuses a release by anyone but the holder, and a completion by a colleague', async () => {
    const handle = client.workflow.getHandle(journeyWorkflowId(journeyId));
    const release = await handle.executeUpdate(releaseTaskUpdate, { args: [{ nodeKey: 'review', purpose: 'task', by: 'cw-second' }] }).catch((e) => e);
    expect(refusal(release)).toBe('Only the caseworker who claimed an open task can release it.');
    const complete = await handle.executeUpdate(completeTaskUpdate, { args: [{ nodeKey: 'review', outcome: 'approve', by: 'cw-second' }] }).catch((e) => e);
    expect(refusal(complete)).toBe('The task is claimed by cw-first; only they can complete it.');
    const steal = await handle.executeUpdate(claimTaskUpdate, { args: [{ nodeKey: 'review', purpose: 'task', by: 'cw-second' }] }).catch((e) => e);
    expect(refusal(steal)).toBe('The task is already claimed by cw-first.');
    // Through the gateway: refused for the task's state, and the task stays the holder's.
    expectProblem(await second.post(`/tasks/${task}/release`), 409);
    expect(expectProblem(await second.post(`/tasks/${task}/complete`, { outcome: 'approve' }), 409).detail).toBe('The task is claimed by cw-first; only they can complete it.');
    expect(await taskRow(task)).toMatchObject({ status: 'claimed', claimed_by: 'cw-first', completed_by: null });
  });

  test('the holder completes it: the projection closes the row with the verdict, the data and the comment', async () => {
    const done = await first.post(`/tasks/${task}/complete`, { outcome: 'reject', comment: 'Incomplete', data: { missing: 'proof' } });
    expect(done.status).toBe(200);
    expect(done.body).toMatchObject({ status: 'completed', completedBy: 'cw-first', outcome: 'reject', comment: 'Incomplete', data: { missing: 'proof' } });
    expect(await taskRow(task)).toEqual({ status: 'completed', claimed_by: 'cw-first', completed_by: 'cw-first', outcome: 'reject', data: { missing: 'proof' }, comment: 'Incomplete' });
    expect(expectProblem(await first.post(`/tasks/${task}/claim`), 409).detail).toBe('The task is completed.');
  });
});
