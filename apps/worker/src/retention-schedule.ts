import { ScheduleAlreadyRunning, ScheduleOverlapPolicy, type Client, type ScheduleOptions } from '@temporalio/client';
import { msToTs } from '@temporalio/common/lib/time';
import type { RetentionConfig } from '@levensloop/config';
import { durationToMs } from '@levensloop/domain';
import { RETENTION_SCHEDULE_ID, RETENTION_WORKFLOW_TYPE, type RetentionInput } from '@levensloop/contracts/workflow';

/** What a run removes: the terms of the configuration, per kind. */
export function retentionInput(retention: RetentionConfig): RetentionInput {
  const { letters, messages, journeys, sourceEvents, dataAccessLog, auditLog, batchSize } = retention;
  return { terms: { letters, messages, journeys, sourceEvents, dataAccessLog, auditLog }, batchSize };
}

/** The schedule's definition: a run every RETENTION_EVERY, never two at once, none piled up while the engine was down. */
export function retentionSchedule(taskQueue: string, retention: RetentionConfig): ScheduleOptions {
  const everyMs = durationToMs(retention.every);
  return {
    scheduleId: RETENTION_SCHEDULE_ID,
    spec: { intervals: [{ every: everyMs }] },
    action: { type: 'startWorkflow', workflowType: RETENTION_WORKFLOW_TYPE, taskQueue, args: [retentionInput(retention)] },
    policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: Math.max(everyMs, 60_000), pauseOnFailure: false },
  };
}

/**
 * Creates the retention schedule, or brings the existing one to this configuration: every worker
 * replica does it at start with the same result, so it exists once and runs once per interval.
 */
export async function keepRetentionSchedule(client: Client, taskQueue: string, retention: RetentionConfig): Promise<void> {
  const options = retentionSchedule(taskQueue, retention);
  try {
    await client.schedule.create(options);
  } catch (err) {
    if (!(err instanceof ScheduleAlreadyRunning)) throw err;
    await client.schedule.getHandle(options.scheduleId).update((previous) => ({ ...previous, spec: options.spec, action: options.action, policies: options.policies }));
  }
}

/**
 * Sets the namespace's workflow-execution retention (how long Temporal keeps a closed history) to
 * RETENTION_TEMPORAL_HISTORY, unless it already is. Other namespace settings are left as they are.
 */
export async function keepNamespaceRetention(client: Client, namespace: string, term: string): Promise<boolean> {
  const seconds = Math.floor(durationToMs(term) / 1000);
  const described = await client.workflowService.describeNamespace({ namespace });
  if (Number(described.config?.workflowExecutionRetentionTtl?.seconds ?? 0) === seconds) return false;
  await client.workflowService.updateNamespace({ namespace, config: { workflowExecutionRetentionTtl: msToTs(seconds * 1000) } });
  return true;
}
