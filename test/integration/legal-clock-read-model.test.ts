/**
 * The legal clock in the read model, on a real PostgreSQL: a step whose clock stands still (it
 * waits on the citizen) past its due date counts neither as a breach nor as open and overdue on
 * the dashboard, and its caseworker's task is not in the overdue inbox; a step past its due date
 * whose clock runs counts as both. The projection keeps the clock and the request with the step.
 */
import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import type { JourneyProjection } from '@levensloop/contracts/workflow';
import type { StepState } from '@levensloop/domain';
import { applyJourneyProjection } from '@levensloop/journeys';
import { createDataSource, JourneyReadModel, Stats, Tasks } from '@levensloop/persistence';
import { createTestDatabase } from '../support/database';

let db: { url: string; drop: () => Promise<void> };
let ds: DataSource;

beforeAll(async () => {
  db = await createTestDatabase('legal_clock_read_model');
  ds = createDataSource(db.url);
  await ds.initialize();
});

afterAll(async () => {
  await ds?.destroy();
  await db?.drop();
});

const daysAgo = (days: number) => new Date(Date.now() - days * 86_400_000).toISOString();
const agency = `housing-${randomUUID().slice(0, 6)}`;

test('a suspended step past its due date is neither breached nor overdue; a running one is both', async () => {
  const journeyId = randomUUID();
  const step = (key: string, patch: Partial<StepState>): StepState => ({ key, agency, kind: 'caseworker', status: 'waiting', waitingFor: 'task', attempts: 0, startedAt: daysAgo(40), dueAt: daysAgo(10), ...patch });
  const projection: JourneyProjection = {
    journeyId,
    header: { idempotencyKey: randomUUID(), lifeEventKey: 'renovate', lifeEventVersion: 1, title: { nl: 'Renoveren' }, agencies: [agency], startedAt: daysAgo(40), startedBy: 'citizen-1', data: {} },
    seq: 1,
    status: 'running',
    steps: [step('waits', {}), step('late', {})],
    events: [],
    subject: { type: 'person', id: '85073003328' },
    titles: { waits: { nl: 'Wacht' }, late: { nl: 'Laat' } },
  };
  expect(await applyJourneyProjection(ds, projection)).toBe(true);
  // The caseworker asks the citizen for information on one of them: its clock stands still.
  const waits = step('waits', {
    waitingFor: 'information',
    clock: { suspendedAt: daysAgo(12), suspendedFor: 'information' },
    information: { question: 'Send the lease.', dueAt: new Date(Date.now() + 5 * 86_400_000).toISOString(), by: 'cw-1', askedAt: daysAgo(12) },
  });
  expect(await applyJourneyProjection(ds, { ...projection, header: undefined, seq: 2, steps: [waits], titles: { waits: { nl: 'Wacht' } } })).toBe(true);

  const [norms] = (await new Stats(ds).serviceNorms()).filter((r) => r.agency === agency);
  expect(norms).toMatchObject({ steps: '2', breached: '1', open_overdue: '1' });

  // The citizen's information task with its own date and question; the caseworker's own task of
  // the waiting step stays open, not overdue while the clock stands still.
  const tasks: Array<{ node_key: string; purpose: string; assignee: string; status: string }> = await ds.query(
    `SELECT node_key, purpose, assignee, status FROM tasks WHERE journey_id = $1 ORDER BY node_key, purpose`,
    [journeyId],
  );
  expect(tasks).toEqual([
    { node_key: 'late', purpose: 'task', assignee: 'caseworker', status: 'open' },
    { node_key: 'waits', purpose: 'information', assignee: 'citizen', status: 'open' },
    { node_key: 'waits', purpose: 'task', assignee: 'caseworker', status: 'open' },
  ]);
  const overdue = await new Tasks(ds).list({ inbox: { agency }, view: 'overdue', claimedBy: 'cw-1' });
  expect(overdue.map((t) => t.node_key)).toEqual(['late']);

  const { steps } = await new JourneyReadModel(ds).stepsAndTimeline({ id: journeyId, life_event_key: 'renovate', life_event_version: 1 });
  const row = steps.find((s) => s.node_key === 'waits')!;
  expect(row.legal_clock).toEqual({ suspendedAt: expect.any(String), suspendedFor: 'information' });
  expect(row.information).toMatchObject({ question: 'Send the lease.' });
  expect(steps.filter((s) => s.node_key === 'waits')).toHaveLength(1);
  expect(row.task_id).toBe(`${journeyId}.waits.information`);
});
