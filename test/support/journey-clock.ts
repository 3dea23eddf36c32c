import type { WorkflowHandle } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { journeyStateQuery } from '@levensloop/contracts/workflow';
import type { TimelineEvent } from '@levensloop/domain';

/** What the time-skipping tests of a step's terms read of a journey, and when its events came. */

export const MINUTE = 60_000;

export const stateOf = async (handle: WorkflowHandle) => handle.query(journeyStateQuery);
export const stepOf = async (handle: WorkflowHandle, key: string) => (await stateOf(handle)).steps.find((s) => s.key === key)!;
/** The timeline's events of `type` of step `key`. */
export const ofType = (timeline: TimelineEvent[], type: string, key = 'review') => timeline.filter((e) => e.type === type && e.step === key);
/** Milliseconds from an instant to when the event was recorded. */
export const after = (event: TimelineEvent, instant: string) => Date.parse(event.at) - Date.parse(instant);

/** Skips to a minute before `instant` (nothing of `type` of the step `review` yet), then past it: the event came at its instant. */
export async function expectAt(env: TestWorkflowEnvironment, handle: WorkflowHandle, type: string, instant: string) {
  const skip = Date.parse(instant) - MINUTE - (await env.currentTimeMs());
  if (skip > 0) await env.sleep(skip);
  expect(ofType((await stateOf(handle)).timeline, type)).toEqual([]);
  await env.sleep(2 * MINUTE);
  const [event, ...again] = ofType((await stateOf(handle)).timeline, type);
  expect(again).toEqual([]);
  expect(after(event, instant)).toBeGreaterThanOrEqual(0);
  expect(after(event, instant)).toBeLessThan(1000);
  return event;
}
