/**
 * The data lifecycle on the real Temporal server (a namespace of its own) and real PostgreSQL,
 * with short terms: the worker keeps the `levensloop-retention` schedule (once, after two starts)
 * and the namespace's history retention; a scheduled run, as the runtime login, removes in batches
 * what is past its term (finished journeys' read model, messages, letters, source events, log
 * prefixes), leaves what is within it and every running journey alone, keeps the access log of a
 * removed journey until its own term, audits the run with counts only, and `verify-logs` still
 * finds both chains intact (also after a log is emptied and appended to again).
 */
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { Client, Connection } from '@temporalio/client';
import { msToTs } from '@temporalio/common/lib/time';
import { NativeConnection, Worker } from '@temporalio/worker';
import type { DataSource } from 'typeorm';
import { createRetentionActivities } from '@levensloop/activities';
import { RETENTION_DEFAULTS, type RetentionConfig } from '@levensloop/config';
import { RETENTION_SCHEDULE_ID, type RetentionResult } from '@levensloop/contracts/workflow';
import { createDataSource, Retention, verifyLogChains } from '@levensloop/persistence';
import { keepNamespaceRetention, keepRetentionSchedule, retentionInput } from '../../apps/worker/src/retention-schedule';
import { buildWorkflowBundle } from '../../apps/worker/src/workflow-bundle';
import { createTestDatabase, runtimeUrlOf } from '../support/database';
import { pollUntil } from '../support/poll';

jest.setTimeout(180_000);

const namespace = `it-retention-${randomUUID().slice(0, 8)}`;
const taskQueue = `it-retention-${randomUUID()}`;
const retention: RetentionConfig = {
  ...RETENTION_DEFAULTS,
  letters: 'P1D',
  messages: 'P2D',
  journeys: 'P2D',
  sourceEvents: 'P2D',
  dataAccessLog: 'P5D',
  auditLog: 'P30D',
  every: 'P1D',
  // One row per batch: every kind takes several batches.
  batchSize: 1,
};

const PERSON = '85073100145';
const OTHER = '90020199793';
const OLD = randomUUID(); // completed 3 days ago: past its term
const RECENT = randomUUID(); // completed an hour ago
const RUNNING = randomUUID(); // running for 10 days, untouched since
const N_OLD = randomUUID();
const N_NEW = randomUUID();
const D_OLD = randomUUID();
const D_NEW = randomUUID();
const L_OLD = randomUUID();
const L_NEW = randomUUID();

let db: { url: string; drop: () => Promise<void> };
let owner: DataSource;
let runtime: DataSource;
let connection: Connection;
let client: Client;
let worker: Worker;
let workerRun: Promise<void>;

const q = (sql: string, params: unknown[] = []) => owner.query(sql, params);
const count = async (sql: string, params: unknown[] = []) => Number((await q(sql, params))[0].n);

async function seed() {
  for (const [id, status, ended] of [[OLD, 'completed', '3 days'], [RECENT, 'completed', '1 hour'], [RUNNING, 'running', null]] as const) {
    const subject = id === RUNNING ? OTHER : PERSON;
    await q(
      `INSERT INTO journeys (id, idempotency_key, life_event_key, life_event_version, title, subject_type, subject_id, status, agencies, started_at, completed_at, started_by, data, updated_at)
       VALUES ($1::uuid, $1::text, 'birth', 1, '{"en":"Birth"}', 'person', $2, $3, '{payer}', now() - interval '10 days', now() - $4::interval, 'test', '{}', COALESCE(now() - $4::interval, now() - interval '10 days'))`,
      [id, subject, status, ended],
    );
    await q(`INSERT INTO journey_steps (journey_id, node_key, agency, kind, status, title) VALUES ($1, 'benefit', 'payer', 'caseworker', 'completed', '{"en":"Benefit"}')`, [id]);
    await q(`INSERT INTO journey_events (journey_id, seq, at, type, node_key) VALUES ($1, 1, now() - interval '10 days', 'step.completed', 'benefit')`, [id]);
    await q(
      `INSERT INTO tasks (id, journey_id, node_key, agency, assignee, subject_type, subject_id, status, title, created_at)
       VALUES ($1, $2, 'benefit', 'payer', 'caseworker', 'person', $3, 'done', '{"en":"Benefit"}', now() - interval '10 days')`,
      [`${id}:benefit`, id, subject],
    );
    await q(
      `INSERT INTO decisions (journey_id, node_key, subject_type, subject_id, agency, step_key, step_version, rule_id, rule_version, inputs, outcome, branch, explanation)
       VALUES ($1, 'benefit', 'person', $2, 'payer', 'child-benefit', 1, 'r', 1, '{}', 'deny', -1, '{"en":"No"}')`,
      [id, subject],
    );
    await q(`INSERT INTO decision_overrides (journey_id, node_key, outcome, reason, overridden_by) VALUES ($1, 'benefit', 'grant', 'appeal', 'caseworker-1')`, [id]);
    await q(`INSERT INTO journey_data_fields (journey_id, node_key, source, field, origin, value) VALUES ($1, 'benefit', 'national-register', 'birthDate', 'source', '"2024-01-01"')`, [id]);
  }
  // A consent given in the old journey (withdrawn since), one of the running journey's person.
  const consent = async (subject: string, journey: string, field: string) => {
    const id = randomUUID();
    await q(
      `INSERT INTO consents (id, subject_type, subject_id, agency, step_key, source, field, status, journey_id, node_key, given_by, given_at)
       VALUES ($1, 'person', $2, 'payer', 'child-benefit', 'national-register', $3, 'granted', $4, 'benefit', $2, now() - interval '9 days')`,
      [id, subject, field, journey],
    );
    await q(`INSERT INTO consent_withdrawals (consent_id, withdrawn_at, withdrawn_by) VALUES ($1, now() - interval '4 days', $2)`, [id, subject]);
  };
  await consent(PERSON, OLD, 'family.parents');
  await consent(OTHER, RUNNING, 'family.parents');

  // Messages: one of 3 days ago with a delivery, its letter and read mark; one of an hour ago whose letter is 2 days old.
  for (const [n, d, l, age, letterAge] of [[N_OLD, D_OLD, L_OLD, '3 days', '3 days'], [N_NEW, D_NEW, L_NEW, '1 hour', '2 days']] as const) {
    await q(
      `INSERT INTO notifications (id, dedup_key, journey_id, transaction_id, category, created_at, fanned_out_at) VALUES ($1::uuid, $1::text, $2, 't', 'journey.completed', now() - $3::interval, now() - $3::interval)`,
      [n, n === N_OLD ? OLD : RECENT, age],
    );
    await q(
      `INSERT INTO notification_deliveries (id, notification_id, recipient_type, recipient_id, relation, channel, address, language, status, subject, body, created_at)
       VALUES ($1, $2, 'person', $3, 'subject', 'letter', 'Kerkstraat 1, 9000 Gent', 'nl', 'delivered', 'Uw dossier', 'Beste', now() - $4::interval)`,
      [d, n, PERSON, age],
    );
    await q(`INSERT INTO letters (id, delivery_id, recipient_id, postal_address, link, pdf, created_at) VALUES ($1, $2, $3, '{"street":"Kerkstraat 1"}', 'https://x/l', '\\x25504446', now() - $4::interval)`, [l, d, PERSON, letterAge]);
    await q(`INSERT INTO letter_prints (letter_id) VALUES ($1)`, [l]);
    await q(`INSERT INTO delivery_reads (delivery_id) VALUES ($1)`, [d]);
  }
  await q(
    `INSERT INTO dossier_status_outbox (journey_id, seq, created_at, status) VALUES ($1, 1, now() - interval '3 days', 'delivered'), ($1, 2, now() - interval '3 days', 'pending'), ($1, 3, now() - interval '1 hour', 'delivered')`,
    [OLD],
  );
  await q(
    `INSERT INTO source_events (source, event_id, type, subject, received_by, received_at, status) VALUES
       ('national-register', 'old-done', 't', $1, 'national-register', now() - interval '3 days', 'processed'),
       ('national-register', 'old-waiting', 't', $1, 'national-register', now() - interval '3 days', 'received'),
       ('national-register', 'new-done', 't', $1, 'national-register', now() - interval '1 hour', 'processed')`,
    [PERSON],
  );
  // The logs, oldest first (chain order): access-log rows of 10 days (past its term) and 3 days (the
  // old journey's, within its own term); audit rows of 40 days and 1 day.
  const access = (age: string, journey: string | null) =>
    q(
      `INSERT INTO data_access_log (at, subject_type, subject_id, journey_id, actor, actor_kind, source, fields, purpose, legal_basis, outcome)
       VALUES (now() - $1::interval, 'person', $2, $3, 'engine', 'step', 'national-register', '{birthDate}', '{"en":"Check"}', '{"type":"law","reference":"art. 8"}', 'granted')`,
      [age, PERSON, journey],
    );
  await access('10 days', null);
  await access('9 days', null);
  await access('3 days', OLD);
  await access('1 hour', RECENT);
  const audit = (age: string) => q(`INSERT INTO audit_log (at, actor, action, target_type, target_id) VALUES (now() - $1::interval, 'caseworker-1', 'test.done', 'journey', $2)`, [age, OLD]);
  await audit('40 days');
  await audit('35 days');
  await audit('1 day');
}

beforeAll(async () => {
  db = await createTestDatabase('it_retention');
  owner = createDataSource(db.url);
  await owner.initialize();
  // The retention job runs as the processes do: the runtime login, insert-only on the logs.
  runtime = createDataSource(runtimeUrlOf(db.url));
  await runtime.initialize();
  // Terms of days and seconds: the owner lowers the database's floor under the logs' retention.
  await q(`UPDATE log_retention_floors SET min_age = interval '0'`);
  await seed();
  connection = await Connection.connect({ address: process.env.TEMPORAL_ADDRESS! });
  await connection.workflowService.registerNamespace({ namespace, workflowExecutionRetentionPeriod: msToTs(86_400_000) });
  client = new Client({ connection, namespace });
  await pollUntil('the namespace to be known', async () => (await connection.workflowService.describeNamespace({ namespace }).then(() => true, () => false)) || undefined);
  worker = await Worker.create({
    connection: await NativeConnection.connect({ address: process.env.TEMPORAL_ADDRESS! }),
    namespace,
    taskQueue,
    workflowBundle: await buildWorkflowBundle(),
    activities: createRetentionActivities({ dataSource: runtime }),
  });
  workerRun = worker.run();
});

afterAll(async () => {
  await client?.schedule.getHandle(RETENTION_SCHEDULE_ID).delete().catch(() => undefined);
  worker?.shutdown();
  await workerRun;
  await connection?.close();
  await runtime?.destroy();
  await owner?.destroy();
  await db?.drop();
});

test('every worker start keeps one retention schedule and the namespace retention of the configuration', async () => {
  await keepRetentionSchedule(client, taskQueue, { ...retention, every: 'PT12H' });
  // A second replica (or a restart with another interval): the same schedule, brought up to date.
  await keepRetentionSchedule(client, taskQueue, retention);
  const ids: string[] = [];
  for await (const s of client.schedule.list()) ids.push(s.scheduleId);
  expect(ids).toEqual([RETENTION_SCHEDULE_ID]);
  const described = await client.schedule.getHandle(RETENTION_SCHEDULE_ID).describe();
  expect(described.spec.intervals?.map((i) => i.every)).toEqual([86_400_000]);
  expect(described.action).toMatchObject({ type: 'startWorkflow', workflowType: 'retentionWorkflow', taskQueue, args: [retentionInput(retention)] });
  expect(described.policies).toMatchObject({ overlap: 'SKIP' });

  expect(await keepNamespaceRetention(client, namespace, 'P3D')).toBe(true);
  expect(await keepNamespaceRetention(client, namespace, 'P3D')).toBe(false);
  const ns = await connection.workflowService.describeNamespace({ namespace });
  expect(Number(ns.config?.workflowExecutionRetentionTtl?.seconds)).toBe(3 * 86_400);
});

test('a scheduled run removes what is past its term in batches, keeps the rest and running journeys, and audits its counts', async () => {
  const handle = client.schedule.getHandle(RETENTION_SCHEDULE_ID);
  await handle.trigger();
  const workflowId = await pollUntil('the schedule to start a run', async () => (await handle.describe()).info.recentActions[0]?.action.workflow.workflowId);
  const result: RetentionResult = await client.workflow.getHandle(workflowId).result();

  // Letters: the old message's and the 2-day-old letter of a recent message.
  expect(await count(`SELECT count(*) AS n FROM letters`)).toBe(0);
  expect(await count(`SELECT count(*) AS n FROM letter_prints`)).toBe(0);
  // Messages: the old one with its delivery (texts, address) and read mark; the recent one stays.
  expect((await q(`SELECT id FROM notifications`)).map((r: { id: string }) => r.id)).toEqual([N_NEW]);
  expect((await q(`SELECT id FROM notification_deliveries`)).map((r: { id: string }) => r.id)).toEqual([D_NEW]);
  expect((await q(`SELECT delivery_id FROM delivery_reads`)).map((r: { delivery_id: string }) => r.delivery_id)).toEqual([D_NEW]);
  expect((await q(`SELECT seq FROM dossier_status_outbox ORDER BY seq`)).map((r: { seq: number }) => r.seq)).toEqual([2, 3]);
  // Journeys: the old finished one and its whole read model; the recent and the running ones stay.
  expect((await q(`SELECT id FROM journeys ORDER BY id`)).map((r: { id: string }) => r.id).sort()).toEqual([RECENT, RUNNING].sort());
  for (const table of ['journey_steps', 'journey_events', 'tasks', 'decisions', 'decision_overrides', 'journey_data_fields']) {
    expect({ table, old: await count(`SELECT count(*) AS n FROM ${table} WHERE journey_id = $1`, [OLD]) }).toEqual({ table, old: 0 });
    expect({ table, running: await count(`SELECT count(*) AS n FROM ${table} WHERE journey_id = $1`, [RUNNING]) }).toEqual({ table, running: 1 });
  }
  expect((await q(`SELECT subject_id FROM consents`)).map((r: { subject_id: string }) => r.subject_id)).toEqual([OTHER]);
  expect(await count(`SELECT count(*) AS n FROM consent_withdrawals`)).toBe(1);
  // Source events: the old processed one; a waiting one stays whatever its age.
  expect((await q(`SELECT event_id FROM source_events ORDER BY event_id`)).map((r: { event_id: string }) => r.event_id)).toEqual(['new-done', 'old-waiting']);
  // The access log outlives the journey: the old journey's entry stays until its own term.
  expect(await count(`SELECT count(*) AS n FROM data_access_log WHERE journey_id = $1`, [OLD])).toBe(1);
  expect(await count(`SELECT count(*) AS n FROM data_access_log`)).toBe(2);
  expect(await count(`SELECT count(*) AS n FROM audit_log WHERE action = 'test.done'`)).toBe(1);

  expect(result.counts).toEqual({ letters: 2, messages: 2, journeys: 1, sourceEvents: 1, dataAccessLog: 2, auditLog: 2 });
  const [row] = await q(`SELECT actor, target_type, target_id, detail FROM audit_log WHERE action = 'retention.applied'`);
  expect(row).toMatchObject({ actor: 'system:retention', target_type: 'retention', target_id: workflowId, detail: { counts: result.counts, terms: retentionInput(retention).terms } });
  // Counts and hashes only: nobody's number, address or journey in the run's audit row.
  for (const personal of [PERSON, OTHER, OLD, 'Kerkstraat']) expect(JSON.stringify(row.detail)).not.toContain(personal);

  // Both chains verify from the anchors the removals recorded (the run's audit row appended after).
  const reports = await verifyLogChains(owner);
  for (const r of reports) {
    expect({ log: r.log, broken: r.broken }).toEqual({ log: r.log, broken: undefined });
    expect(r.anchor?.hash).toBe(result.anchors[r.log === 'audit_log' ? 'auditLog' : 'dataAccessLog']?.hash);
  }
  expect(reports.find((r) => r.log === 'audit_log')!.rows).toBe(2);
  // One anchor per batch of one row.
  expect(await count(`SELECT count(*) AS n FROM log_chain_anchors`)).toBe(4);

  // A second run has nothing left to remove.
  const again = await new Retention(runtime).purge('journeys', retention.journeys, 10);
  expect(again.removed).toBe(0);
});

test('a log emptied by retention goes on from its anchor, and verify-logs finds it intact; a row outside an anchored prefix still cannot be deleted', async () => {
  await new Promise((r) => setTimeout(r, 1100));
  const emptied = await new Retention(runtime).purge('dataAccessLog', 'PT1S', 100);
  expect(emptied.removed).toBe(2);
  expect(await count(`SELECT count(*) AS n FROM data_access_log`)).toBe(0);
  await runtime.query(
    `INSERT INTO data_access_log (subject_type, subject_id, actor, actor_kind, source, fields, purpose, legal_basis, outcome)
     VALUES ('person', $1, 'engine', 'step', 'national-register', '{birthDate}', '{"en":"Check"}', '{"type":"law","reference":"art. 8"}', 'granted')`,
    [OTHER],
  );
  const [first] = await q(`SELECT prev_hash FROM data_access_log`);
  expect(first.prev_hash).toBe(emptied.anchor!.hash);
  const report = (await verifyLogChains(owner)).find((r) => r.log === 'data_access_log')!;
  expect(report).toMatchObject({ rows: 1, anchor: { upToId: emptied.anchor!.upToId, hash: emptied.anchor!.hash } });
  expect(report.broken).toBeUndefined();
  // The operator's command says so too, and names where each chain now starts.
  const cli = await promisify(execFile)(process.execPath, [path.resolve(__dirname, '..', '..', 'dist', 'apps', 'cli', 'src', 'main.js'), 'verify-logs'], {
    env: { ...process.env, DATABASE_URL: runtimeUrlOf(db.url) },
  });
  expect(cli.stdout).toMatch(/^audit_log: intact, 2 row\(s\)/m);
  expect(cli.stdout).toMatch(/^data_access_log: intact, 1 row\(s\)/m);
  expect(cli.stdout).toContain(`data_access_log: rows up to ${emptied.anchor!.upToId} (written until `);
  expect(cli.stdout).toContain(`removed by retention; the chain goes on from their last hash ${emptied.anchor!.hash}`);
  // The runtime login still has no DELETE on the log; the owner may not delete what no anchor covers.
  await expect(runtime.query(`DELETE FROM data_access_log`)).rejects.toThrow(/permission denied for table data_access_log/);
  await expect(owner.query(`DELETE FROM data_access_log`)).rejects.toThrow(/data_access_log is append-only: DELETE is refused/);
  // An anchor cannot name a row that is not there, nor a hash of its own.
  await expect(runtime.query(`INSERT INTO log_chain_anchors (log, up_to_id, up_to_at, hash, removed) VALUES ('audit_log', 999999, now(), repeat('0', 64), 0)`)).rejects.toThrow(/row 999999 is not there/);
});

test("the database keeps a floor under the logs' retention that the runtime login cannot lower", async () => {
  await q(`UPDATE log_retention_floors SET min_age = interval '30 days' WHERE log = 'audit_log'`);
  const before = await count(`SELECT count(*) AS n FROM audit_log`);
  // A cutoff within the floor removes nothing, whatever the term the caller asks for.
  await expect(new Retention(runtime).purge('auditLog', 'P1D', 100)).rejects.toThrow(/audit_log keeps at least 30 days \(log_retention_floors\)/);
  expect(await count(`SELECT count(*) AS n FROM audit_log`)).toBe(before);
  await expect(runtime.query(`UPDATE log_retention_floors SET min_age = interval '0'`)).rejects.toThrow(/permission denied for table log_retention_floors/);
  await expect(runtime.query(`SELECT * FROM log_purge_prefix('audit_log', now(), 100)`)).rejects.toThrow(/permission denied for function log_purge_prefix/);
});
