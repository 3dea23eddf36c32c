import { proxyActivities, workflowInfo } from '@temporalio/workflow';
import { RETENTION_RUN_ORDER, type RetentionActivities, type RetentionInput, type RetentionResult } from '@levensloop/contracts/workflow';

/** A kind's removal heartbeats after every batch; a run that dies part-way resumes next time from what is left. */
const act = proxyActivities<RetentionActivities>({
  startToCloseTimeout: '2 hours',
  heartbeatTimeout: '2 minutes',
  retry: { initialInterval: '10 seconds', backoffCoefficient: 2, maximumInterval: '5 minutes', maximumAttempts: 5 },
});

/** One run of the retention schedule (`RETENTION_SCHEDULE_ID`): every kind in turn, then the run's audit row. */
export async function retentionWorkflow(input: RetentionInput): Promise<RetentionResult> {
  const result: RetentionResult = { counts: { letters: 0, messages: 0, journeys: 0, sourceEvents: 0, dataAccessLog: 0, auditLog: 0 }, anchors: {} };
  for (const kind of RETENTION_RUN_ORDER) {
    const done = await act.applyRetention({ kind, term: input.terms[kind], batchSize: input.batchSize });
    result.counts[kind] = done.removed;
    if (done.anchor) result.anchors[kind] = done.anchor;
  }
  await act.auditRetention({ runId: workflowInfo().workflowId, terms: input.terms, result });
  return result;
}
