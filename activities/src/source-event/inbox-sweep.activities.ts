import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import type { DataSource } from 'typeorm';
import { SOURCE_EVENT_WORKFLOW_TYPE, sourceEventStart, sourceEventWorkflowId, type InboxSweepActivities, type SourceEventInput, type SourceEventOutcome } from '@levensloop/contracts/workflow';
import { EventTypeCatalog } from '@levensloop/catalog';
import { SourceEventInbox } from '@levensloop/persistence';
import { sourceEventInputOf } from '@levensloop/sources';

export interface InboxSweepDeps {
  dataSource: DataSource;
  client: Client;
  taskQueue: string;
}

/**
 * The sweep of the source-event inbox, run by the inbox-sweep schedule's workflow (once per
 * deployment, not in every gateway). Starting lands on the event's one workflow (its id comes from
 * the source and the event id), whoever else starts it: the gateway that stored it, a sweep before.
 */
export function createInboxSweepActivities(deps: InboxSweepDeps): InboxSweepActivities {
  const inbox = new SourceEventInbox(deps.dataSource);
  const eventTypes = new EventTypeCatalog(deps.dataSource);
  const { client, taskQueue } = deps;

  const start = (input: SourceEventInput) => client.workflow.start(SOURCE_EVENT_WORKFLOW_TYPE, sourceEventStart(input, taskQueue));

  return {
    async sweepInbox({ graceSeconds, max }) {
      const result = { started: 0, recorded: 0, unknown: 0 };
      const rows = await inbox.unfinished(graceSeconds, max);
      // The registered types as they are now (one read per sweep that has work).
      const types = rows.length ? await eventTypes.list().then(() => eventTypes.known()) : {};
      for (const row of rows) {
        const input = sourceEventInputOf(row.source, row.event_id, row.type, types);
        if (!input) {
          await inbox.finish(row.source, row.event_id, 'failed', { started: [], cancelled: [], signalled: [], mandates: [], skipped: [{ reason: `the event type ${row.type} is no longer known` }] });
          result.unknown++;
          continue;
        }
        try {
          await start(input);
          result.started++;
        } catch (err) {
          if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
          // Finished, but its outcome never reached the row (a crash before it was recorded).
          const outcome: SourceEventOutcome = await client.workflow.getHandle(sourceEventWorkflowId(row.source, row.event_id)).result();
          if (await inbox.finish(row.source, row.event_id, outcome.status, outcome.result)) result.recorded++;
        }
      }
      return result;
    },
  };
}
