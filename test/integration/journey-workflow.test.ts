/**
 * The journey workflow on a real Temporal server with a real worker (in this process), real
 * PostgreSQL for the read model and the sandbox's agencies over real HTTP.
 */
import { randomUUID } from 'node:crypto';
import { WorkflowUpdateFailedError, type Client, type WorkflowHandle } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import type { DataSource } from 'typeorm';
import {
  completeTaskUpdate,
  journeyStateQuery,
  resolveAttentionUpdate,
  SEARCH_ATTRIBUTES,
  type JourneyInput,
  type JourneyResult,
} from '@levensloop/contracts/workflow';
import type { LifeEventSnapshot } from '@levensloop/domain';
import { applyJourneyProjection } from '@levensloop/journeys';
import { subjectSearchKey } from '@levensloop/temporal';
import { startJourneyWorker, type JourneyWorker } from '../support/journey-worker';
import { recordHistory } from '../support/histories';
import { pollUntil } from '../support/poll';
import { snapshot, step } from '../support/snapshots';
import { testTemporalConfig } from '../support/temporal';

jest.setTimeout(120_000);

/** Agencies the worker calls, each with a key both ends know; `unknown-key` has a key only the sandbox knows. */
const AGENCIES = ['enterprise-counter', 'federal-finance', 'startup-support', 'test-agency', 'unknown-key'];

let jw: JourneyWorker;
let dataSource: DataSource;
let client: Client;
let sandboxUrl: string;

beforeAll(async () => {
  jw = await startJourneyWorker('journey', { agencies: AGENCIES, keyOnlyInSandbox: ['unknown-key'], sources: true });
  ({ dataSource, client, sandboxUrl } = jw);
});

afterAll(() => jw?.close());

const agencyUrl = (agency: string, service: string) => jw.agencyUrl(agency, service);
const startJourney = (snap: LifeEventSnapshot, data: Record<string, unknown> = {}, extra: Partial<JourneyInput> = {}) => jw.startJourney(snap, data, extra);

const waitForStep = (handle: WorkflowHandle, key: string, status: string) => jw.waitForStep(handle, key, status);

test('runs parallel branches, skips a branch whose condition is false, waits for a task, and projects it all', async () => {
  const snap = snapshot(`it-parallel-${randomUUID().slice(0, 8)}`, [
    step('register', 'automatic', { agency: 'enterprise-counter', endpoint: agencyUrl('enterprise-counter', 'register-enterprise') }),
    step('vat', 'automatic', { agency: 'federal-finance', dependsOn: ['register'], endpoint: agencyUrl('federal-finance', 'activate-vat') }),
    step('permit', 'caseworker', { agency: 'municipality', dependsOn: ['register'], condition: { '==': [{ var: 'data.servesAlcohol' }, true] } }),
    step('fund', 'citizen', { dependsOn: ['register'] }),
    step('support', 'automatic', { agency: 'startup-support', dependsOn: ['vat', 'permit', 'fund'], endpoint: agencyUrl('startup-support', 'suggest-support') }),
  ]);
  const { journeyId, handle } = await startJourney(snap, { servesAlcohol: false });

  await waitForStep(handle, 'fund', 'waiting');
  const live = await handle.query(journeyStateQuery);
  const byKey = Object.fromEntries(live.steps.map((s) => [s.key, s]));
  expect(byKey.permit.status).toBe('skipped');
  expect(byKey.support.status).toBe('pending');
  expect(byKey.fund.dueAt).toBeDefined();

  // The task appears in the read model for the citizen.
  const task = await pollUntil('the citizen task row', async () => {
    const rows = await dataSource.query(`SELECT * FROM tasks WHERE journey_id = $1`, [journeyId]);
    return rows[0];
  });
  expect(task).toMatchObject({ node_key: 'fund', assignee: 'citizen', status: 'open', subject_id: '85073003328' });

  // The update validator refuses a task that is not open, without failing the workflow.
  const refused = await handle.executeUpdate(completeTaskUpdate, { args: [{ nodeKey: 'support', outcome: 'approve', by: 'x' }] }).catch((e) => e);
  expect(refused).toBeInstanceOf(WorkflowUpdateFailedError);
  expect(refused.cause.message).toMatch(/automatic and has no task/);
  await handle.executeUpdate(completeTaskUpdate, { args: [{ nodeKey: 'fund', outcome: 'approve', by: 'citizen', data: { fund: 'Xerius' } }] });

  const result: JourneyResult = await handle.result();
  expect(result.status).toBe('completed');
  expect(result.steps.support.status).toBe('completed');
  expect(result.steps.fund.outcome).toMatchObject({ result: 'approved', data: { fund: 'Xerius' } });

  const [journey] = await dataSource.query(`SELECT * FROM journeys WHERE id = $1`, [journeyId]);
  expect(journey.status).toBe('completed');
  const steps = await dataSource.query(`SELECT node_key, status FROM journey_steps WHERE journey_id = $1 ORDER BY node_key`, [journeyId]);
  expect(Object.fromEntries(steps.map((s: any) => [s.node_key, s.status]))).toEqual({
    fund: 'completed',
    permit: 'skipped',
    register: 'completed',
    support: 'completed',
    vat: 'completed',
  });
  const events = await dataSource.query(`SELECT type, node_key FROM journey_events WHERE journey_id = $1 ORDER BY seq`, [journeyId]);
  expect(events[0].type).toBe('journey.started');
  expect(events[events.length - 1].type).toBe('journey.completed');
  // 'vat' started only after 'register' completed.
  const at = (type: string, key: string) => events.findIndex((e: any) => e.type === type && e.node_key === key);
  expect(at('step.started', 'vat')).toBeGreaterThan(at('step.completed', 'register'));
  const [closedTask] = await dataSource.query(`SELECT status, outcome FROM tasks WHERE journey_id = $1`, [journeyId]);
  expect(closedTask).toEqual({ status: 'completed', outcome: 'approve' });

  // Search attributes carry the life event and the status.
  const found = await pollUntil('visibility to index the journey', async () => {
    const list = [];
    for await (const wf of client.workflow.list({ query: `LevensloopLifeEvent = '${snap.key}' AND LevensloopStatus = 'completed'` })) list.push(wf.workflowId);
    return list.length ? list : undefined;
  });
  expect(found).toEqual([`journey-${journeyId}`]);
  await recordHistory('parallel-branches', handle);
});

test('an agency that keeps failing puts the step in needs attention; a retry after recovery completes it with one effective call', async () => {
  const service = `flaky-${randomUUID().slice(0, 8)}`;
  await fetch(`${sandboxUrl}/_sandbox/behaviour/test-agency/${service}`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ failPermanently: true }),
  });
  const snap = snapshot(`it-attention-${randomUUID().slice(0, 8)}`, [step('call', 'automatic', { endpoint: agencyUrl('test-agency', service), maximumAttempts: 2 })]);
  const { journeyId, handle } = await startJourney(snap);
  await waitForStep(handle, 'call', 'needs_attention');
  expect((await handle.query(journeyStateQuery)).status).toBe('needs_attention');
  await pollUntil('read model to show needs attention', async () => {
    const [row] = await dataSource.query(`SELECT needs_attention FROM journeys WHERE id = $1`, [journeyId]);
    return row?.needs_attention === true;
  });

  await fetch(`${sandboxUrl}/_sandbox/behaviour/test-agency/${service}`, { method: 'DELETE' });
  await handle.executeUpdate(resolveAttentionUpdate, { args: [{ nodeKey: 'call', action: 'retry', by: 'caseworker' }] });
  const result: JourneyResult = await handle.result();
  expect(result.status).toBe('completed');

  const summary: any = await (await fetch(`${sandboxUrl}/_sandbox/calls?agency=test-agency&service=${service}`)).json();
  const calls: Array<{ outcome: string; idempotencyKey: string }> = Array.isArray(summary) ? summary : summary.calls;
  expect(calls.filter((c) => c.outcome === 'effective')).toHaveLength(1);
  expect(calls.filter((c) => c.outcome === 'failed').length).toBeGreaterThanOrEqual(2);
  expect(new Set(calls.map((c) => c.idempotencyKey))).toEqual(new Set([`${journeyId}/call`]));
  await recordHistory('needs-attention-retry', handle);
});

test('an automatic step keeps only its declared outputs; the outcome names the dropped fields, not their values', async () => {
  const register = step('register', 'automatic', { agency: 'enterprise-counter', endpoint: agencyUrl('enterprise-counter', 'register-enterprise') });
  register.definition.outputs = [{ name: 'enterpriseNumber', type: 'string' }, { name: 'reference' }];
  const silent = step('silent', 'automatic', { dependsOn: ['register'], endpoint: agencyUrl('test-agency', 'silent') });
  const { handle } = await startJourney(snapshot(`it-outputs-${randomUUID().slice(0, 8)}`, [register, silent]));
  const result: JourneyResult = await handle.result();
  expect(result.steps.register.outcome).toEqual({
    result: 'done',
    data: { enterpriseNumber: expect.stringMatching(/^0\d{3}\.\d{3}\.\d{3}$/), reference: expect.any(String) },
    dropped: ['status', 'registeredOn'],
  });
  // A step that declares no outputs keeps none.
  expect(result.steps.silent.outcome).toEqual({ result: 'done', data: {}, dropped: ['status', 'reference'] });
  const timeline = (await handle.query(journeyStateQuery)).timeline ?? [];
  expect(timeline.find((e) => e.type === 'step.completed' && e.step === 'register')?.detail).toEqual({ status: 200, dropped: ['status', 'registeredOn'] });
});

test('a redirect, an endpoint off the agency hosts and a call the agency cannot verify each end in needs attention, and nothing of the answer is kept', async () => {
  const service = `redirect-${randomUUID().slice(0, 8)}`;
  await fetch(`${sandboxUrl}/_sandbox/behaviour/test-agency/${service}`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ redirectTo: `${sandboxUrl}/oidc/dev-token?role=catalog-admin` }),
  });
  const snap = snapshot(`it-refused-${randomUUID().slice(0, 8)}`, [
    step('redirected', 'automatic', { endpoint: agencyUrl('test-agency', service) }),
    step('elsewhere', 'automatic', { endpoint: `http://127.0.0.1:1/agencies/test-agency/x` }),
    step('unsigned', 'automatic', { agency: 'unknown-key', endpoint: agencyUrl('unknown-key', 'x') }),
  ]);
  const { handle } = await startJourney(snap);
  for (const key of ['redirected', 'elsewhere', 'unsigned']) await waitForStep(handle, key, 'needs_attention');
  const steps = Object.fromEntries((await handle.query(journeyStateQuery)).steps.map((s) => [s.key, s]));
  expect(steps.redirected.error).toContain(`test-agency answered 302 (a redirect to ${sandboxUrl}/oidc/dev-token), which is never followed`);
  expect(steps.redirected.outcome).toBeUndefined();
  expect(steps.redirected.attempts).toBe(1); // refused, not retried
  expect(steps.elsewhere.error).toContain("127.0.0.1:1 is not among the endpoint hosts of agency 'test-agency'");
  expect(steps.unsigned.error).toMatch(/unknown-key answered 401: .*accepts only calls signed with its key/);
  expect(JSON.stringify(await handle.query(journeyStateQuery))).not.toContain('access_token');
  await handle.cancel();
});

test('service-norm timers add warning and escalated events while a task waits', async () => {
  const snap = snapshot(`it-norm-${randomUUID().slice(0, 8)}`, [
    step('review', 'caseworker', { norm: { target: 'PT3S', warn: 'PT1S', escalate: 'PT2S' } }),
  ]);
  const { journeyId, handle } = await startJourney(snap);
  await pollUntil('escalation', async () => {
    const state = await handle.query(journeyStateQuery);
    return state.timeline.some((e) => e.type === 'step.escalated');
  }, { timeoutMs: 15_000 });
  const types = (await handle.query(journeyStateQuery)).timeline.map((e) => e.type);
  expect(types.indexOf('step.warning')).toBeGreaterThan(-1);
  expect(types.indexOf('step.warning')).toBeLessThan(types.indexOf('step.escalated'));
  await handle.executeUpdate(completeTaskUpdate, { args: [{ nodeKey: 'review', outcome: 'reject', by: 'cw', comment: 'incomplete file' }] });
  const result: JourneyResult = await handle.result();
  expect(result.steps.review.outcome?.result).toBe('rejected');
  const [row] = await dataSource.query(`SELECT warned, escalated FROM journey_steps WHERE journey_id = $1`, [journeyId]);
  expect(row).toEqual({ warned: true, escalated: true });
  await recordHistory('service-norm-timers', handle);
});

test('a journey of this revision starts with its search attributes and records no patch markers; one started before revisions still gets both from the workflow', async () => {
  const snap = snapshot(`it-revision-${randomUUID().slice(0, 8)}`, [step('review', 'caseworker', { norm: { target: 'P10D', warn: 'P5D' } })]);
  const started = await startJourney(snap);
  const legacy = await startJourney(snap, {}, { revision: undefined });
  const shape = async (handle: WorkflowHandle) => {
    await waitForStep(handle, 'review', 'waiting');
    // The projection's upsert of the next due date is the last command of the first task.
    await pollUntil('search attributes', async () => (await handle.describe()).typedSearchAttributes.get(SEARCH_ATTRIBUTES.nextDue));
    const { events } = await handle.fetchHistory();
    const type = (t: temporal.api.enums.v1.EventType) => events!.filter((e) => e.eventType === t);
    const attributes = (await handle.describe()).typedSearchAttributes;
    return {
      markers: type(temporal.api.enums.v1.EventType.EVENT_TYPE_MARKER_RECORDED).map((e) => e.markerRecordedEventAttributes!.markerName),
      upserts: type(temporal.api.enums.v1.EventType.EVENT_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES).map((e) => Object.keys(e.upsertWorkflowSearchAttributesEventAttributes!.searchAttributes!.indexedFields!).sort().join()),
      attributes: {
        lifeEvent: attributes.get(SEARCH_ATTRIBUTES.lifeEvent),
        agencies: attributes.get(SEARCH_ATTRIBUTES.agencies),
        subject: attributes.get(SEARCH_ATTRIBUTES.subject),
        status: attributes.get(SEARCH_ATTRIBUTES.status),
      },
    };
  };
  // The subject is its keyed hash (libs/temporal), in both ways, never the national number.
  const expected = { lifeEvent: snap.key, agencies: ['test-agency'], subject: subjectSearchKey({ type: 'person', id: '85073003328' }, testTemporalConfig().subjectHashKey), status: 'running' };
  // Revision 1: only the projection (a local activity) leaves a marker; one upsert, by the projection.
  expect(await shape(started.handle)).toEqual({ markers: ['core_local_activity'], upserts: ['LevensloopNextDue,LevensloopStatus'], attributes: expected });
  // Before revisions: each patch is a marker and an upsert of TemporalChangeVersion, and the
  // workflow itself upserts what is known at start.
  const old = await shape(legacy.handle);
  expect(old.markers.filter((m) => m === 'core_patch')).toHaveLength(3);
  expect(old.upserts.filter((u) => u === 'TemporalChangeVersion')).toHaveLength(3);
  expect(old.upserts).toContain('LevensloopAgencies,LevensloopLifeEvent,LevensloopSubject');
  expect(old.attributes).toEqual(expected);
  for (const { handle } of [started, legacy]) await handle.executeUpdate(completeTaskUpdate, { args: [{ nodeKey: 'review', outcome: 'approve', by: 'cw' }] });
  expect((await started.handle.result()).status).toBe('completed');
  expect((await legacy.handle.result()).status).toBe('completed');
});

test('a long journey continues as new, keeps waiting for its task and completes', async () => {
  const snap = snapshot(`it-can-${randomUUID().slice(0, 8)}`, [
    step('a', 'automatic', { endpoint: agencyUrl('test-agency', 'can-a') }),
    step('b', 'automatic', { dependsOn: ['a'], endpoint: agencyUrl('test-agency', 'can-b') }),
    step('c', 'automatic', { dependsOn: ['b'], endpoint: agencyUrl('test-agency', 'can-c') }),
    step('wait', 'citizen', { dependsOn: ['c'] }),
  ]);
  const { journeyId, handle } = await startJourney(snap, {}, { continueAsNewAfterEvents: 20 });
  await waitForStep(handle, 'wait', 'waiting');
  const description = await handle.describe();
  const firstRun = description.runId;
  const executions = [];
  for await (const wf of client.workflow.list({ query: `WorkflowId = 'journey-${journeyId}'` })) executions.push(wf.runId);
  expect(executions.length).toBeGreaterThan(1);
  await handle.executeUpdate(completeTaskUpdate, { args: [{ nodeKey: 'wait', outcome: 'approve', by: 'citizen' }] });
  const result: JourneyResult = await client.workflow.getHandle(`journey-${journeyId}`).result();
  expect(result.status).toBe('completed');
  expect(firstRun).toBeDefined();
  // The timeline is complete and without duplicates across runs.
  const events = await dataSource.query(`SELECT seq, type FROM journey_events WHERE journey_id = $1 ORDER BY seq`, [journeyId]);
  expect(events.map((e: any) => e.seq)).toEqual(events.map((_: unknown, i: number) => i + 1));
  expect(events.filter((e: any) => e.type === 'journey.completed')).toHaveLength(1);
});

test('projections are idempotent and never go back in time', async () => {
  const journeyId = randomUUID();
  const base = {
    journeyId,
    subject: { type: 'person' as const, id: '85073003328' },
    titles: { s: { nl: 'Stap' } },
    events: [{ seq: 1, at: new Date().toISOString(), type: 'journey.started' as const }],
  };
  const header = { idempotencyKey: `it:${journeyId}`, lifeEventKey: 'x', lifeEventVersion: 1, title: { nl: 'x' }, agencies: ['a'], startedAt: new Date().toISOString(), startedBy: 't', data: {} };
  const running = { ...base, seq: 1, header, status: 'running' as const, steps: [{ key: 's', agency: 'a', kind: 'citizen' as const, status: 'waiting' as const, attempts: 0 }] };
  const done = { ...base, seq: 2, status: 'completed' as const, events: [], steps: [{ key: 's', agency: 'a', kind: 'citizen' as const, status: 'completed' as const, attempts: 0, outcome: { result: 'approved' as const } }] };
  expect(await applyJourneyProjection(dataSource, running)).toBe(true);
  expect(await applyJourneyProjection(dataSource, running)).toBe(false);
  expect(await applyJourneyProjection(dataSource, done)).toBe(true);
  expect(await applyJourneyProjection(dataSource, running)).toBe(false); // a late retry of seq 1
  const [row] = await dataSource.query(`SELECT status, projection_seq FROM journeys WHERE id = $1`, [journeyId]);
  expect(row).toEqual({ status: 'completed', projection_seq: 2 });
  const tasks = await dataSource.query(`SELECT status FROM tasks WHERE journey_id = $1`, [journeyId]);
  expect(tasks).toEqual([{ status: 'completed' }]);
  const events = await dataSource.query(`SELECT count(*)::int AS n FROM journey_events WHERE journey_id = $1`, [journeyId]);
  expect(events[0].n).toBe(1);

  // Projections that ride along with agency calls may arrive out of order: each step keeps the
  // newest state it was sent, and the journey row keeps the newest journey state.
  const stepA = { key: 'a', agency: 'a', kind: 'automatic' as const, attempts: 1 };
  const stepB = { key: 'b', agency: 'a', kind: 'automatic' as const, attempts: 1 };
  const later = { ...base, seq: 4, status: 'needs_attention' as const, events: [{ seq: 3, at: new Date().toISOString(), type: 'step.started' as const, step: 'b' }], steps: [{ ...stepB, status: 'needs_attention' as const }] };
  const earlier = { ...base, seq: 3, status: 'running' as const, events: [{ seq: 2, at: new Date().toISOString(), type: 'step.started' as const, step: 'a' }], steps: [{ ...stepA, status: 'running' as const }] };
  expect(await applyJourneyProjection(dataSource, later)).toBe(true);
  expect(await applyJourneyProjection(dataSource, earlier)).toBe(false); // the journey row keeps seq 4
  const stepsNow = await dataSource.query(`SELECT node_key, status FROM journey_steps WHERE journey_id = $1 ORDER BY node_key`, [journeyId]);
  expect(stepsNow).toEqual([
    { node_key: 'a', status: 'running' },
    { node_key: 'b', status: 'needs_attention' },
    { node_key: 's', status: 'completed' },
  ]);
  const [journeyNow] = await dataSource.query(`SELECT status, projection_seq FROM journeys WHERE id = $1`, [journeyId]);
  expect(journeyNow).toEqual({ status: 'needs_attention', projection_seq: 4 });
  // A late, older state of a step never overwrites a newer one.
  await applyJourneyProjection(dataSource, { ...base, seq: 5, status: 'running' as const, events: [], steps: [{ ...stepA, status: 'completed' as const }] });
  await applyJourneyProjection(dataSource, { ...earlier, seq: 3 });
  const [a] = await dataSource.query(`SELECT status FROM journey_steps WHERE journey_id = $1 AND node_key = 'a'`, [journeyId]);
  expect(a.status).toBe('completed');
  const eventCount = await dataSource.query(`SELECT count(*)::int AS n FROM journey_events WHERE journey_id = $1`, [journeyId]);
  expect(eventCount[0].n).toBe(3);
});

test('once-only: a decision over fetched fields, a consent and a missing field asked, an agency that gets exactly its fields', async () => {
  const examples = (await (await fetch(`${sandboxUrl}/_sandbox/population/examples`)).json()) as { personWithoutContact: string };
  const subject = examples.personWithoutContact;
  const law = { type: 'law' as const, reference: 'Testwet, art. 1' };
  const purpose = { nl: 'Test', en: 'Test' };
  const decide = step('grant', 'decision');
  decide.definition.dataRequirements = [{ source: 'national-register', field: 'birthDate', purpose, legalBasis: law }];
  decide.definition.rule = {
    id: 'adult',
    version: 1,
    branches: [{ when: { '<': [{ var: 'fields.national-register.birthDate' }, '2008-01-01'] }, outcome: 'grant', explanation: { nl: 'Geboren op {fields.national-register.birthDate}.' } }],
    otherwise: { outcome: 'deny', explanation: { nl: 'Te jong.' } },
  };
  const call = step('notify', 'automatic', { dependsOn: ['grant'], endpoint: agencyUrl('test-agency', 'notify') });
  call.definition.dataRequirements = [
    { source: 'national-register', field: 'name.family', purpose, legalBasis: law },
    { source: 'national-register', field: 'contact.email', purpose, legalBasis: { type: 'consent', reference: 'Toestemming' } },
  ];
  const snap = snapshot(`it-once-only-${randomUUID().slice(0, 8)}`, [decide, call]);
  const { journeyId, handle } = await startJourney(snap, {}, { subject: { type: 'person', id: subject } });

  // The consent is asked first; the update refuses an answer for a field that was not asked.
  await waitForStep(handle, 'notify', 'waiting');
  const asking = (await handle.query(journeyStateQuery)).steps.find((s) => s.key === 'notify')!;
  expect(asking).toMatchObject({ waitingFor: 'consent', consentAsked: ['national-register/contact.email'] });
  const wrong = await handle.executeUpdate(completeTaskUpdate, { args: [{ nodeKey: 'notify', purpose: 'consent', outcome: 'approve', consents: { 'national-register/name.family': true }, by: 'citizen' }] }).catch((e) => e);
  expect(wrong).toBeInstanceOf(WorkflowUpdateFailedError);
  await handle.executeUpdate(completeTaskUpdate, { args: [{ nodeKey: 'notify', purpose: 'consent', outcome: 'approve', consents: { 'national-register/contact.email': true }, by: 'citizen' }] });

  // This person has no e-mail in the register: it is asked, then the agency gets both fields.
  await pollUntil('the e-mail asked', async () => {
    const s = (await handle.query(journeyStateQuery)).steps.find((x) => x.key === 'notify')!;
    return s.waitingFor === 'data' ? s : undefined;
  });
  await handle.executeUpdate(completeTaskUpdate, { args: [{ nodeKey: 'notify', purpose: 'data', outcome: 'approve', values: { 'national-register/contact.email': 'someone@example.org' }, by: 'citizen' }] });
  const result: JourneyResult = await handle.result();
  expect(result.status).toBe('completed');
  expect(result.steps.grant).toMatchObject({ status: 'completed', decision: { outcome: 'grant', ruleId: 'adult', ruleVersion: 1 }, outcome: { result: 'approved' } });

  const [decision] = await dataSource.query(`SELECT outcome, rule_id, rule_version, explanation, inputs FROM decisions WHERE journey_id = $1`, [journeyId]);
  expect(decision).toMatchObject({ outcome: 'grant', rule_id: 'adult', rule_version: 1 });
  expect(decision.explanation.nl).toMatch(/^Geboren op \d{4}-\d{2}-\d{2}\.$/);
  const fields = await dataSource.query(`SELECT node_key, source, field, origin FROM journey_data_fields WHERE journey_id = $1 ORDER BY node_key, field`, [journeyId]);
  expect(fields).toEqual([
    { node_key: 'grant', source: 'national-register', field: 'birthDate', origin: 'source' },
    { node_key: 'notify', source: 'national-register', field: 'contact.email', origin: 'citizen' },
    { node_key: 'notify', source: 'national-register', field: 'name.family', origin: 'source' },
  ]);
  const log = await dataSource.query(`SELECT node_key, fields, outcome FROM data_access_log WHERE journey_id = $1 ORDER BY node_key, id`, [journeyId]);
  // Each register read: the request before the call, its outcome after it.
  expect(log.map((l: any) => [l.node_key, l.fields, l.outcome])).toEqual([
    ['grant', ['birthDate'], 'requested'],
    ['grant', ['birthDate'], 'granted'],
    ['notify', ['name.family'], 'requested'],
    ['notify', ['contact.email'], 'requested'],
    ['notify', ['name.family'], 'granted'],
    ['notify', ['contact.email'], 'granted'],
  ]);
  const calls = (await (await fetch(`${sandboxUrl}/_sandbox/calls?agency=test-agency&service=notify`)).json()) as { calls: Array<{ body: any }> };
  const sent = calls.calls.find((c) => c.body.journeyId === journeyId)!;
  expect(sent.body.fields).toEqual({ 'national-register': { name: { family: expect.any(String) }, contact: { email: 'someone@example.org' } } });
  await recordHistory('once-only', handle);
});
