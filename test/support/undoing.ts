import type { WorkflowHandle } from '@temporalio/client';
import { Worker } from '@temporalio/worker';
import type { JourneyResult } from '@levensloop/contracts/workflow';
import { dataConverter } from '@levensloop/temporal';
import { buildWorkflowBundle } from '../../apps/worker/src/workflow-bundle';
import type { JourneyWorker } from './journey-worker';
import { step } from './snapshots';
import { testTemporalConfig } from './temporal';

/** What the compensation tests on the journey worker share: undoable steps, the agency's calls, the trail. */

/**
 * The automatic step `key` of test-agency, called at the sandbox's service `<service>-<key>`, that
 * declares its undoing at `<service>-<key>/compensate`.
 */
export function undoableStep(w: JourneyWorker, service: string, key: string, dependsOn?: string[]) {
  const node = step(key, 'automatic', { endpoint: w.agencyUrl('test-agency', `${service}-${key}`), ...(dependsOn ? { dependsOn } : {}) });
  return { ...node, definition: { ...node.definition, compensation: { endpoint: w.agencyUrl('test-agency', `${service}-${key}/compensate`) } } };
}

export type AgencyCall = { service: string; idempotencyKey: string; outcome: string };

/** The calls test-agency got, in order, of the services whose name starts with `service`. */
export async function callsOf(w: JourneyWorker, service: string): Promise<AgencyCall[]> {
  const res = await fetch(`${w.sandboxUrl}/_sandbox/calls?agency=test-agency`);
  return ((await res.json()) as { calls: AgencyCall[] }).calls.filter((c) => c.service.startsWith(service));
}

/** Each step's status and its undoing's. */
export const statusesOf = (result: JourneyResult) => Object.fromEntries(Object.values(result.steps).map((s) => [s.key, [s.status, s.compensation?.status]]));

/** The timeline as `type:step` strings. */
export const trail = (timeline: Array<{ type: string; step?: string }>) => timeline.map((e) => `${e.type}${e.step ? `:${e.step}` : ''}`);

/** Replays the journey's history against today's workflow code: it must take the same commands. */
export async function replayToday(handle: WorkflowHandle, history?: Awaited<ReturnType<WorkflowHandle['fetchHistory']>>): Promise<void> {
  await Worker.runReplayHistory({ workflowBundle: await buildWorkflowBundle(), dataConverter: dataConverter(testTemporalConfig()) }, history ?? (await handle.fetchHistory()), handle.workflowId);
}
