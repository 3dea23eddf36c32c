/**
 * The appeal term over weeks, on Temporal's time-skipping test server (real workflow code, a
 * worker in this process, real PostgreSQL for the read model): after an objection is upheld, a
 * journey whose decision declares an appeal stays open for the appeal term, counted from the
 * review (long after the objection term ended), so an appeal late in that term still reaches it;
 * without an appeal it closes once the term is over, and a later appeal finds nothing to reach.
 */
import type { WorkflowHandle } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { decideAppealUpdate, fileAppealUpdate, fileObjectionUpdate, journeyStateQuery, reviewObjectionUpdate } from '@levensloop/contracts/workflow';
import { addDuration, durationToMs, type LifeEventSnapshot } from '@levensloop/domain';
import { startJourneyWorker, type JourneyWorker } from '../support/journey-worker';
import { snapshot, step } from '../support/snapshots';
import { createTimeSkippingEnvironment } from '../support/time-skipping';

jest.setTimeout(180_000);

let env: TestWorkflowEnvironment;
let w: JourneyWorker;
let run = 0;

beforeAll(async () => {
  env = await createTimeSkippingEnvironment();
  w = await startJourneyWorker('appeal-time-skipping', { temporal: { nativeConnection: env.nativeConnection, client: env.client } });
});

afterAll(async () => {
  await w?.close();
  await env?.teardown();
});

/** One decision, refused by rule, that may be objected to for 30 days and appealed for 60 after the review. */
function appealable(): LifeEventSnapshot {
  const node = step('decide', 'decision', { norm: { target: 'P10D' } });
  const rule = { id: 'appeal-term-rule', version: 1, branches: [], otherwise: { outcome: 'deny' as const, explanation: { nl: 'Te hoog inkomen.', en: 'Income too high.' } } };
  return snapshot(`it-appeal-term-${run++}`, [{ ...node, definition: { ...node.definition, rule, objection: { term: 'P30D', appeal: { term: 'P60D' } } } }]);
}

/** Refused at once; objected to on day 10, upheld on day 12 by cw-review: the appeal term runs to day 72. */
async function upheld(): Promise<{ handle: WorkflowHandle; reviewedAt: string }> {
  const { handle } = await w.startJourney(appealable());
  await w.waitForStep(handle, 'decide', 'completed');
  await env.sleep(durationToMs('P10D'));
  await handle.executeUpdate(fileObjectionUpdate, { args: [{ nodeKey: 'decide', reason: 'My income fell.', by: '85073003328' }] });
  await env.sleep(durationToMs('P2D'));
  const reviewed = await handle.executeUpdate(reviewObjectionUpdate, { args: [{ nodeKey: 'decide', verdict: 'uphold', explanation: { en: 'Last year counts.' }, by: 'cw-review' }] });
  return { handle, reviewedAt: reviewed.objection!.reviewedAt! };
}

const isRunning = async (handle: WorkflowHandle) => (await handle.describe()).status.name === 'RUNNING';

test('held open for the appeal term after the review: an appeal on day 71 reaches the journey and its decision revises it', async () => {
  const { handle, reviewedAt } = await upheld();
  // Day 71: the objection term (day 30) is long over, the appeal term (day 72) is not.
  await env.sleep(Date.parse(addDuration(reviewedAt, 'P59D')) - (await env.currentTimeMs()));
  expect(await isRunning(handle)).toBe(true);
  const appealed = await handle.executeUpdate(fileAppealUpdate, { args: [{ nodeKey: 'decide', reason: 'The review missed my payslips.', by: '85073003328' }] });
  expect(appealed).toMatchObject({ status: 'waiting', waitingFor: 'appeal', appeal: { status: 'filed', agency: 'test-agency', termEndsAt: addDuration(reviewedAt, 'P60D') } });
  // Four eyes: the reviewer of the objection may not decide the appeal.
  await expect(handle.executeUpdate(decideAppealUpdate, { args: [{ nodeKey: 'decide', verdict: 'grant', explanation: { en: 'ok' }, by: 'cw-review' }] })).rejects.toThrow();
  const decided = await handle.executeUpdate(decideAppealUpdate, { args: [{ nodeKey: 'decide', verdict: 'grant', explanation: { en: 'Your payslips show it.' }, by: 'cw-appeal' }] });
  expect(decided).toMatchObject({ status: 'completed', decision: { outcome: 'grant', overridden: true }, appeal: { status: 'revised', decidedBy: 'cw-appeal' } });
  const result = await handle.result();
  expect(result.status).toBe('completed');
  const types = (await handle.query(journeyStateQuery)).timeline.map((e) => e.type);
  expect(types).toEqual(expect.arrayContaining(['decision.objection_upheld', 'decision.appeal_filed', 'decision.appeal_revised']));
});

test('without an appeal the journey closes when the appeal term ends, not before', async () => {
  const { handle, reviewedAt } = await upheld();
  await env.sleep(Date.parse(addDuration(reviewedAt, 'P60D')) - 60_000 - (await env.currentTimeMs()));
  expect(await isRunning(handle)).toBe(true);
  await env.sleep(5 * 60_000);
  expect((await handle.result()).status).toBe('completed');
  expect(await isRunning(handle)).toBe(false);
});
