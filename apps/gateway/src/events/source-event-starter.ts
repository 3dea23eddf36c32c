import { Injectable, Logger } from '@nestjs/common';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { SOURCE_EVENT_WORKFLOW_TYPE, sourceEventWorkflowId, type SourceEventInput, type SourceEventOutcome } from '@levensloop/contracts/workflow';
import { SourceEventInbox } from '@levensloop/persistence';
import { eventMetrics } from '../metrics/metrics';
import { TemporalService } from '../temporal/temporal.provider';
import { annulmentsOf, EVENT_TYPES } from './event-types';

/** A start gives up after this long (the client otherwise retries an unreachable server for about 20 s). */
const START_TIMEOUT_MS = 5_000;

/** What a request answers about an event it stored: its outcome, or that it waits (and why). */
export type ProcessOutcome = (SourceEventOutcome & { retry?: undefined }) | { status: 'received'; result?: undefined; retry: string };

/**
 * Starts the `sourceEvent` workflow of a stored event. Its id comes from the source and the
 * event id, so an event is processed by one workflow however often it is started: the inbox
 * insert, the sweep of rows left unstarted (a crash between the two, an engine outage) and a
 * second gateway all land on it. The processing itself, its retries and their backoff are
 * Temporal's; the inbox row records the outcome.
 */
@Injectable()
export class SourceEventStarter {
  private readonly logger = new Logger('SourceEvents');
  constructor(
    private readonly inbox: SourceEventInbox,
    private readonly temporal: TemporalService,
  ) {}

  /** The workflow's input: what the event's type means (the list of types lives in the gateway). */
  inputOf(source: string, eventId: string, type: string): SourceEventInput | undefined {
    const spec = EVENT_TYPES[type];
    if (!spec) return undefined;
    return {
      source,
      eventId,
      kind: spec.kind,
      ...(spec.annuls ? { annuls: { type: spec.annuls, description: EVENT_TYPES[spec.annuls]?.description ?? spec.annuls } } : {}),
      annulledBy: annulmentsOf(type),
    };
  }

  /**
   * Starts (or finds) the event's workflow and waits up to `waitMs` for its outcome. Never
   * rejects: an event not done in time is `received`, with why (the workflow goes on, or the sweep starts it).
   */
  async startAndWait(event: { source: string; id: string; type: string }, waitMs: number): Promise<ProcessOutcome> {
    const input = this.inputOf(event.source, event.id, event.type)!;
    const abort = new AbortController();
    const timer = setTimeout(() => abort.abort(), waitMs);
    try {
      const outcome = await this.temporal.connection.withAbortSignal(abort.signal, async () => (await this.start(input)).result());
      countOutcome(event, outcome);
      return outcome;
    } catch (err) {
      if (abort.signal.aborted) {
        // Why it waits, when the workflow has said so (a register that cannot answer, an annulment before its registration).
        const why = await this.inbox.find(event.source, event.id).then((row) => row?.error, () => undefined);
        return { status: 'received', retry: why ?? `still being processed; see GET /events/${event.source}/${event.id}` };
      }
      const message = (err as Error).message;
      this.logger.warn(`Source event ${event.source}/${event.id} waits for a retry: ${message}`);
      eventMetrics.processed.inc({ source: event.source, type: event.type, outcome: 'deferred' });
      await this.inbox.noteError(event.source, event.id, `the journey engine is not reachable (${message})`).catch(() => undefined);
      return { status: 'received', retry: `the journey engine is not reachable (${message}); the event is kept and processed later` };
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * Rows left `received` past `graceSeconds`: starts their workflow (a crash between storing and
   * starting, an outage); a workflow that finished without its outcome in the row (a crash
   * before it was recorded) has it copied over, so nothing is done twice.
   */
  async sweep(graceSeconds: number, max = 200): Promise<{ started: number; recorded: number }> {
    let started = 0;
    let recorded = 0;
    for (const row of await this.inbox.unfinished(graceSeconds, max)) {
      const input = this.inputOf(row.source, row.event_id, row.type);
      if (!input) {
        await this.inbox.finish(row.source, row.event_id, 'failed', { started: [], cancelled: [], signalled: [], mandates: [], skipped: [{ reason: `the event type ${row.type} is no longer known to this gateway` }] });
        continue;
      }
      try {
        await this.start(input);
        started++;
      } catch (err) {
        if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
        const outcome: SourceEventOutcome = await this.temporal.client.workflow.getHandle(sourceEventWorkflowId(row.source, row.event_id)).result();
        if (await this.inbox.finish(row.source, row.event_id, outcome.status, outcome.result)) recorded++;
      }
    }
    return { started, recorded };
  }

  /** Running: the same run (USE_EXISTING). Closed: a new run only if the last one failed; a finished one answers AlreadyStarted. */
  private start(input: SourceEventInput) {
    return this.temporal.connection.withDeadline(Date.now() + START_TIMEOUT_MS, () =>
      this.temporal.client.workflow.start(SOURCE_EVENT_WORKFLOW_TYPE, {
        workflowId: sourceEventWorkflowId(input.source, input.eventId),
        taskQueue: this.temporal.config.temporal.taskQueue,
        args: [input],
        workflowIdConflictPolicy: 'USE_EXISTING',
        workflowIdReusePolicy: 'ALLOW_DUPLICATE_FAILED_ONLY',
      }),
    );
  }
}

function countOutcome(event: { source: string; type: string }, outcome: SourceEventOutcome) {
  eventMetrics.processed.inc({ source: event.source, type: event.type, outcome: outcome.status });
  eventMetrics.journeys.inc({ action: 'started' }, outcome.result.started.length);
  eventMetrics.journeys.inc({ action: 'cancelled' }, outcome.result.cancelled.filter((c) => c.outcome === 'cancelled').length);
  eventMetrics.journeys.inc({ action: 'signalled' }, outcome.result.signalled.filter((c) => c.outcome === 'signalled').length);
}
