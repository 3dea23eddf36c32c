/**
 * The inbox sweep as a Temporal Schedule (once per deployment, not a loop in every gateway), on the
 * real Temporal server with a worker in this process and real PostgreSQL: the worker keeps the
 * schedule (created at its first start, brought to its definition at every later one), and the
 * schedule's sweeps start the workflow of an event left `received` and mark a row whose type is
 * no longer known.
 */
import { randomUUID } from 'node:crypto';
import type { Client } from '@temporalio/client';
import { Worker } from '@temporalio/worker';
import type { DataSource } from 'typeorm';
import { createInboxSweepActivities, createSourceEventActivities } from '@levensloop/activities';
import { inboxSweepScheduleId, sourceEventWorkflowId } from '@levensloop/contracts/workflow';
import { createDataSource } from '@levensloop/persistence';
import { readSourcesConfig } from '@levensloop/sources';
import { connectClient } from '@levensloop/temporal';
import { workerBase } from '@levensloop/temporal/worker';
import { keepInboxSweepSchedule } from '../../apps/worker/src/inbox-sweep-schedule';
import { buildWorkflowBundle } from '../../apps/worker/src/workflow-bundle';
import { createTestDatabase } from '../support/database';
import { correctionEvent, nthNationalNumber } from '../support/events';
import { pollUntil } from '../support/poll';
import { testTemporalConfig } from '../support/temporal';

jest.setTimeout(120_000);

let db: { url: string; drop: () => Promise<void> };
let dataSource: DataSource;
let client: Client;
let worker: Worker;
let workerRun: Promise<void>;
const taskQueue = `it-inbox-sweep-${randomUUID()}`;

beforeAll(async () => {
  db = await createTestDatabase('it_inbox_sweep');
  dataSource = createDataSource(db.url);
  await dataSource.initialize();
  client = await connectClient(testTemporalConfig());
  // Corrections need no register: the sources are never called here.
  const { config: sources } = readSourcesConfig({ SOURCES_URL: 'http://127.0.0.1:1/sources', SOURCES_TOKEN: 'unused' });
  worker = await Worker.create({
    ...(await workerBase(testTemporalConfig())),
    taskQueue,
    workflowBundle: await buildWorkflowBundle(),
    activities: { ...createSourceEventActivities({ dataSource, client, taskQueue, config: { sources, temporal: testTemporalConfig() } }), ...createInboxSweepActivities({ dataSource, client, taskQueue }) },
  });
  workerRun = worker.run();
});

afterAll(async () => {
  await client?.schedule.getHandle(inboxSweepScheduleId(taskQueue)).delete().catch(() => undefined);
  worker?.shutdown();
  await workerRun;
  await client?.connection.close();
  await dataSource?.destroy();
  await db?.drop();
});

const row = async (eventId: string) => (await dataSource.query(`SELECT status, result FROM source_events WHERE event_id = $1`, [eventId]))[0];

test('every worker start keeps one schedule per task queue, brought to the definition of the last start', async () => {
  await keepInboxSweepSchedule(client, taskQueue, 60_000);
  // A second replica (or a restart with another interval): the same schedule, updated, no error.
  await keepInboxSweepSchedule(client, taskQueue, 1_000);
  const ids: string[] = [];
  for await (const s of client.schedule.list()) if (s.scheduleId.includes(taskQueue)) ids.push(s.scheduleId);
  expect(ids).toEqual([inboxSweepScheduleId(taskQueue)]);
  const described = await client.schedule.getHandle(inboxSweepScheduleId(taskQueue)).describe();
  expect(described.spec.intervals).toMatchObject([{ every: 1_000 }]);
  expect(described.action).toMatchObject({ type: 'startWorkflow', workflowType: 'inboxSweepWorkflow', taskQueue, args: [{ graceSeconds: 10, max: 200 }] });
  expect(described.policies).toMatchObject({ overlap: 'SKIP' });
});

test('its sweeps start the workflow of an event left received and mark a row of a type no longer known; a fresh row is left to its gateway', async () => {
  const person = nthNationalNumber(900);
  const lost = correctionEvent(person, ['name.given']);
  const old = correctionEvent(person, ['name.given']);
  const fresh = correctionEvent(person, ['name.given']);
  const insert = (e: typeof lost, type: string, age: string) =>
    dataSource.query(
      `INSERT INTO source_events (source, event_id, type, subject, time, data, received_by, received_at) VALUES ($1, $2, $3, $4, $5, $6, 'national-register', now() - $7::interval)`,
      [e.source, e.id, type, person, e.time, JSON.stringify(e.data), age],
    );
  await insert(lost, lost.type, '1 minute');
  await insert(old, 'be.national-register.person.renamed-long-ago', '1 minute');
  await insert(fresh, fresh.type, '0 seconds');
  await keepInboxSweepSchedule(client, taskQueue, 1_000);

  // Processed by its workflow: a correction of a person without open journeys tells nobody.
  const processed = await pollUntil('the sweep to start the stored event\'s workflow', async () => {
    const r = await row(lost.id);
    return r.status !== 'received' ? r : undefined;
  });
  expect(processed).toMatchObject({ status: 'ignored', result: { started: [], signalled: [], skipped: [{ reason: `no open journey of ${person} to tell` }] } });
  // The row's outcome is the workflow's last activity; the workflow completes right after it.
  const lostWorkflow = client.workflow.getHandle(sourceEventWorkflowId(lost.source, lost.id));
  await pollUntil('the swept event\'s workflow to complete', async () => ((await lostWorkflow.describe()).status.name === 'COMPLETED' ? true : undefined));
  expect((await lostWorkflow.describe()).status.name).toBe('COMPLETED');
  const failed = await pollUntil('the sweep to mark the unknown type', async () => {
    const r = await row(old.id);
    return r.status === 'failed' ? r : undefined;
  });
  expect(failed.result.skipped).toEqual([{ reason: 'the event type be.national-register.person.renamed-long-ago is no longer known' }]);
  // Within its grace the gateway that stored it starts it: the sweep did not.
  expect((await row(fresh.id)).status).toBe('received');
  const described = await client.schedule.getHandle(inboxSweepScheduleId(taskQueue)).describe();
  expect(described.info.recentActions.length).toBeGreaterThan(0);
});
