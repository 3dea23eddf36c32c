import { Injectable, Logger } from '@nestjs/common';
import { SOURCE_EVENT_WORKFLOW_TYPE, sourceEventStart, type SourceEventInput, type SourceEventOutcome } from '@levensloop/contracts/workflow';
import { EventTypeCatalog } from '@levensloop/catalog';
import { SourceEventInbox } from '@levensloop/persistence';
import { sourceEventInputOf } from '@levensloop/sources';
import { eventMetrics } from '../metrics/metrics';
import { TemporalService } from '../temporal/temporal.provider';

/** A start gives up after this long (the client otherwise retries an unreachable server for about 20 s). */
const START_TIMEOUT_MS = 5_000;

/** What a request answers about an event it stored: its outcome, or that it waits (and why). */
export type ProcessOutcome = (SourceEventOutcome & { retry?: undefined }) | { status: 'received'; result?: undefined; retry: string };

/**
 * Starts the `sourceEvent` workflow of a stored event. Its id comes from the source and the
 * event id, so an event is processed by one workflow however often it is started: the inbox
 * insert, the worker's inbox sweep of rows left unstarted (a crash between the two, an engine
 * outage: a Temporal Schedule, see apps/worker/src/inbox-sweep-schedule.ts) and a second
 * gateway all land on it. The processing itself, its retries and their backoff are
 * Temporal's; the inbox row records the outcome.
 */
@Injectable()
export class SourceEventStarter {
  private readonly logger = new Logger('SourceEvents');
  constructor(
    private readonly inbox: SourceEventInbox,
    private readonly temporal: TemporalService,
    private readonly eventTypes: EventTypeCatalog,
  ) {}

  /**
   * Starts (or finds) the event's workflow and waits up to `waitMs` for its outcome. Never
   * rejects: an event not done in time is `received`, with why (the workflow goes on, or the inbox sweep starts it).
   */
  async startAndWait(event: { source: string; id: string; type: string }, waitMs: number): Promise<ProcessOutcome> {
    // The event was checked against these types a moment ago (kept in memory: no round trip).
    const input = sourceEventInputOf(event.source, event.id, event.type, await this.eventTypes.known())!;
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

  private start(input: SourceEventInput) {
    return this.temporal.connection.withDeadline(Date.now() + START_TIMEOUT_MS, () =>
      this.temporal.client.workflow.start(SOURCE_EVENT_WORKFLOW_TYPE, sourceEventStart(input, this.temporal.config.temporal.taskQueue)),
    );
  }
}

function countOutcome(event: { source: string; type: string }, outcome: SourceEventOutcome) {
  eventMetrics.processed.inc({ source: event.source, type: event.type, outcome: outcome.status });
  eventMetrics.journeys.inc({ action: 'started' }, outcome.result.started.length);
  eventMetrics.journeys.inc({ action: 'cancelled' }, outcome.result.cancelled.filter((c) => c.outcome === 'cancelled').length);
  eventMetrics.journeys.inc({ action: 'signalled' }, outcome.result.signalled.filter((c) => c.outcome === 'signalled').length);
}
