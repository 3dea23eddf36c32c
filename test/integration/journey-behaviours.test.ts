/**
 * Behaviours of the journey workflow no other test pinned (issue 18), on the real Temporal server
 * with a worker in this process, real PostgreSQL for the read model and the sandbox's agencies:
 * - a step retried after "needs attention" that fails again is back in needs attention, waiting
 *   for a new decision, and a later retry or skip is accepted;
 * - a service norm's warning and escalation come at their own instants, not one at the other's;
 * - the read model never shows a later step's state before the earlier step's completion, also
 *   when the projection riding with an agency call reaches the database late (the ordering race
 *   `journey.e2e` once saw: `register` still running while the steps after it already waited).
 */
import { randomUUID } from 'node:crypto';
import { WorkflowUpdateFailedError, type WorkflowHandle } from '@temporalio/client';
import { completeTaskUpdate, journeyStateQuery, resolveAttentionUpdate, type JourneyActivities, type JourneyResult } from '@levensloop/contracts/workflow';
import { addDuration } from '@levensloop/domain';
import { pollUntil } from '../support/poll';
import { snapshot, step } from '../support/snapshots';
import { startJourneyWorker, type JourneyWorker } from '../support/journey-worker';

jest.setTimeout(120_000);

/** Agency calls of these nodes (keys no other test uses) wait this long before their carried projection is applied (a queued activity). */
const LATE_PROJECTION_MS = 2000;
const lateNodes = new Set<string>();

let w: JourneyWorker;

beforeAll(async () => {
  w = await startJourneyWorker('journey-behaviours', {
    wrap: (real) => ({
      ...real,
      async callAgency(input) {
        if (input.projection && lateNodes.has(input.nodeKey)) await new Promise((r) => setTimeout(r, LATE_PROJECTION_MS));
        return real.callAgency(input);
      },
    } satisfies JourneyActivities),
  });
});

afterAll(async () => {
  await w?.close();
});

const stateOf = (handle: WorkflowHandle) => handle.query(journeyStateQuery);
const stepIn = async (handle: WorkflowHandle, key: string) => (await stateOf(handle)).steps.find((s) => s.key === key)!;
const resolve = (handle: WorkflowHandle, nodeKey: string, action: 'retry' | 'skip', reason?: string) =>
  handle.executeUpdate(resolveAttentionUpdate, { args: [{ nodeKey, action, by: 'cw-1', ...(reason ? { reason } : {}) }] });
const refusal = (p: Promise<unknown>) => p.then(() => undefined, (e) => e);
const timelineTypes = async (handle: WorkflowHandle, key: string) => (await stateOf(handle)).timeline.filter((e) => e.step === key).map((e) => e.type);

describe('a step retried after needs attention that fails again', () => {
  async function failingTwice() {
    const service = `down-${randomUUID().slice(0, 8)}`;
    await w.setBehaviour('test-agency', service, { failPermanently: true });
    const snap = snapshot(`it-again-${randomUUID().slice(0, 8)}`, [step('call', 'automatic', { endpoint: w.agencyUrl('test-agency', service), maximumAttempts: 2 })]);
    const { journeyId, handle } = await w.startJourney(snap);
    await w.waitForStep(handle, 'call', 'needs_attention');
    expect((await stepIn(handle, 'call')).attempts).toBe(1);
    await resolve(handle, 'call', 'retry');
    // Retried: the agency still fails, every attempt of the retry policy again, then attention again.
    await pollUntil('the second needs attention', async () => (await timelineTypes(handle, 'call')).filter((t) => t === 'step.needs_attention').length === 2);
    return { service, journeyId, handle };
  }

  test('is back in needs attention, waiting for a decision; a later retry is accepted and completes it', async () => {
    const { service, journeyId, handle } = await failingTwice();
    const state = await stateOf(handle);
    const call = state.steps.find((s) => s.key === 'call')!;
    expect(call).toMatchObject({ status: 'needs_attention', attempts: 2, error: expect.stringContaining('test-agency') });
    expect(state.status).toBe('needs_attention');
    expect(await timelineTypes(handle, 'call')).toEqual(['step.started', 'step.needs_attention', 'step.retried', 'step.needs_attention']);
    // It waits: nothing more happens without a decision.
    await new Promise((r) => setTimeout(r, 1000));
    expect((await stepIn(handle, 'call')).status).toBe('needs_attention');
    // The read model says so too.
    const row = await pollUntil('the read model in needs attention again', async () => {
      const [r] = await w.dataSource.query(`SELECT j.needs_attention, s.status, s.attempts FROM journeys j JOIN journey_steps s ON s.journey_id = j.id WHERE j.id = $1`, [journeyId]);
      return r?.status === 'needs_attention' && r.attempts === 2 ? r : undefined;
    });
    expect(row.needs_attention).toBe(true);

    await w.setBehaviour('test-agency', service, null);
    await resolve(handle, 'call', 'retry');
    // A decision already taken is not taken twice.
    const twice = await refusal(resolve(handle, 'call', 'retry'));
    expect(twice).toBeInstanceOf(WorkflowUpdateFailedError);
    expect(twice.cause.message).toMatch(/^Step 'call' does not need attention/);
    const result: JourneyResult = await handle.result();
    expect(result.status).toBe('completed');
    expect(result.steps.call).toMatchObject({ status: 'completed', attempts: 3, outcome: { result: 'done' } });
  });

  test('a later skip with a reason is accepted and the journey completes without it', async () => {
    const { service, handle } = await failingTwice();
    expect((await stepIn(handle, 'call')).status).toBe('needs_attention');
    await resolve(handle, 'call', 'skip', 'Done on paper');
    const result: JourneyResult = await handle.result();
    expect(result.status).toBe('completed');
    expect(result.steps.call.status).toBe('skipped');
    expect((await stateOf(handle)).timeline.filter((e) => e.step === 'call').map((e) => e.type)).toEqual([
      'step.started',
      'step.needs_attention',
      'step.retried',
      'step.needs_attention',
      'step.skipped',
    ]);
    await w.setBehaviour('test-agency', service, null);
  });
});

test("a service norm's warning and escalation each come at their own instant", async () => {
  // Target between warning and escalation, as norms usually are; seconds apart so an alarm at the
  // wrong one of the three instants shows.
  const norm = { warn: 'PT2S', target: 'PT4S', escalate: 'PT6S' };
  const { journeyId, handle } = await w.startJourney(snapshot(`it-instant-${randomUUID().slice(0, 8)}`, [step('review', 'caseworker', { norm })]));
  const review = await w.waitForStep(handle, 'review', 'waiting');
  const startedAt = (review as { startedAt: string }).startedAt;
  expect(review).toMatchObject({ warnAt: addDuration(startedAt, 'PT2S'), dueAt: addDuration(startedAt, 'PT4S'), escalateAt: addDuration(startedAt, 'PT6S') });

  const timeline = await pollUntil('the escalation', async () => {
    const t = (await stateOf(handle)).timeline;
    return t.some((e) => e.type === 'step.escalated') ? t : undefined;
  }, { timeoutMs: 30_000, intervalMs: 100 });
  const at = (type: string) => Date.parse(timeline.find((e) => e.type === type && e.step === 'review')!.at);
  const ms = (iso: string) => Date.parse(iso);
  // Never before its instant (a timer does not fire early), and not long after it (the worker is idle here).
  expect(at('step.warning')).toBeGreaterThanOrEqual(ms(addDuration(startedAt, 'PT2S')));
  expect(at('step.warning')).toBeLessThan(ms(addDuration(startedAt, 'PT4S')));
  expect(at('step.escalated')).toBeGreaterThanOrEqual(ms(addDuration(startedAt, 'PT6S')));
  expect(at('step.escalated')).toBeLessThan(ms(addDuration(startedAt, 'PT10S')));
  expect(timeline.filter((e) => e.type === 'step.warning' || e.type === 'step.escalated')).toHaveLength(2);

  await handle.executeUpdate(completeTaskUpdate, { args: [{ nodeKey: 'review', outcome: 'approve', by: 'cw' }] });
  await handle.result();
  const [row] = await w.dataSource.query(`SELECT warned, escalated FROM journey_steps WHERE journey_id = $1`, [journeyId]);
  expect(row).toEqual({ warned: true, escalated: true });
});

test('the read model never shows a later step under way before the step it depends on completed, also when the projection riding with an agency call arrives late', async () => {
  const snap = snapshot(`it-order-${randomUUID().slice(0, 8)}`, [
    step('register', 'automatic', { endpoint: w.agencyUrl('test-agency', 'register-enterprise') }),
    step('late-vat', 'automatic', { dependsOn: ['register'], endpoint: w.agencyUrl('test-agency', 'activate-vat') }),
    step('permit', 'caseworker', { dependsOn: ['register'] }),
    step('account', 'citizen', { dependsOn: ['register'] }),
  ]);
  // late-vat's call carries register's completion (and vat under way) to the read model: make it late,
  // as an activity queued behind others is, while the projector's own projection opens the tasks.
  lateNodes.add('late-vat');
  const { journeyId, handle } = await w.startJourney(snap);

  const seen: Array<Record<string, string>> = [];
  const after = ['late-vat', 'permit', 'account'];
  const violations = () => seen.filter((s) => s.register !== 'completed' && after.some((k) => s[k] && s[k] !== 'pending'));
  await pollUntil('both tasks open and late-vat completed in the read model', async () => {
    const rows: Array<{ node_key: string; status: string }> = await w.dataSource.query(`SELECT node_key, status FROM journey_steps WHERE journey_id = $1`, [journeyId]);
    const now = Object.fromEntries(rows.map((r) => [r.node_key, r.status]));
    seen.push(now);
    return now.permit === 'waiting' && now.account === 'waiting' && now['late-vat'] === 'completed';
  }, { intervalMs: 20 });
  expect(violations()).toEqual([]);
  // The tasks were open before late-vat's late projection landed: the race was there to lose.
  expect(seen.some((s) => s.permit === 'waiting' && s['late-vat'] !== 'completed')).toBe(true);
  // The late copy changed nothing back.
  const final = await w.dataSource.query(`SELECT node_key, status FROM journey_steps WHERE journey_id = $1 ORDER BY node_key`, [journeyId]);
  expect(Object.fromEntries(final.map((r: any) => [r.node_key, r.status]))).toEqual({ account: 'waiting', 'late-vat': 'completed', permit: 'waiting', register: 'completed' });
  await handle.terminate('test over');
});
