import { ScheduleAlreadyRunning, ScheduleOverlapPolicy, type Client, type ScheduleOptions } from '@temporalio/client';
import { INBOX_SWEEP_WORKFLOW_TYPE, inboxSweepScheduleId, type InboxSweepInput } from '@levensloop/contracts/workflow';

/** Rows younger than the grace are still being started by their gateway (the interval is INBOX_SWEEP_EVERY_MS). */
export const INBOX_SWEEP: InboxSweepInput = { graceSeconds: 10, max: 200 };

/** The schedule's definition: a sweep every `everyMs` (INBOX_SWEEP_EVERY_MS), never two at once, none piled up while the engine was down. */
export function inboxSweepSchedule(taskQueue: string, everyMs: number): ScheduleOptions {
  return {
    scheduleId: inboxSweepScheduleId(taskQueue),
    spec: { intervals: [{ every: everyMs }] },
    action: {
      type: 'startWorkflow',
      workflowType: INBOX_SWEEP_WORKFLOW_TYPE,
      taskQueue,
      args: [INBOX_SWEEP],
      // A sweep stuck (no worker on the queue) gives way to a later one.
      workflowRunTimeout: '1 minute',
    },
    policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: everyMs, pauseOnFailure: false },
  };
}

/**
 * Creates the inbox-sweep schedule of this task queue, or brings an existing one to this
 * definition: every worker replica does it at start, with the same result, and the sweep runs once
 * per deployment whatever the number of replicas (it used to run in every gateway).
 */
export async function keepInboxSweepSchedule(client: Client, taskQueue: string, everyMs: number): Promise<void> {
  const options = inboxSweepSchedule(taskQueue, everyMs);
  try {
    await client.schedule.create(options);
  } catch (err) {
    if (!(err instanceof ScheduleAlreadyRunning)) throw err;
    await client.schedule.getHandle(options.scheduleId).update((previous) => ({ ...previous, spec: options.spec, action: options.action, policies: options.policies }));
  }
}
