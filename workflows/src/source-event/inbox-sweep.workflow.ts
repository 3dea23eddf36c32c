import { proxyActivities } from '@temporalio/workflow';
import type { InboxSweepActivities, InboxSweepInput, InboxSweepResult } from '@levensloop/contracts/workflow';

/** A sweep that cannot finish (the database is down) gives way to the schedule's next one. */
const act = proxyActivities<InboxSweepActivities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '2 seconds', backoffCoefficient: 2, maximumInterval: '10 seconds', maximumAttempts: 3 },
});

/** One sweep of the source-event inbox: the action of the inbox-sweep schedule (see `inboxSweepScheduleId`). */
export async function inboxSweepWorkflow(input: InboxSweepInput): Promise<InboxSweepResult> {
  return act.sweepInbox(input);
}
