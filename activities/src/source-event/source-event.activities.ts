import { ApplicationFailure } from '@temporalio/common';
import { WorkflowNotFoundError, WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import type { DataSource } from 'typeorm';
import { CatalogError, CatalogService } from '@levensloop/catalog';
import {
  cancelJourneyUpdate,
  journeyWorkflowId,
  type PlannedJourney,
  type SourceEventActivities,
  type SourceEventInput,
  type SourceEventPlan,
  type StoredEvent,
} from '@levensloop/contracts/workflow';
import type { LifeEventSnapshot, LifeEventTrigger } from '@levensloop/domain';
import { JourneyLauncher } from '@levensloop/journeys';
import { JourneyReadModel, SourceEventInbox } from '@levensloop/persistence';
import { SourceUnavailableError, type SourcesConfig } from '@levensloop/sources';
import { MandateGrants } from './mandate-grants';
import { chooseTrigger, eventIdempotencyKey, eventJourneyId } from './trigger-plan';

export interface SourceEventActivityDeps {
  dataSource: DataSource;
  /** Starts journeys (the journey launcher) and cancels them (their own cancel update). */
  client: Client;
  taskQueue: string;
  /** `notifications.reminderBefore`: the lead time of the reminders the journeys' timers send. */
  config: { sources: SourcesConfig; notifications?: { reminderBefore: string }; temporal: { subjectHashKey: string } };
  /** How long a launch waits for the journey's row in the read model before trying again. */
  readModelWaitMs?: number;
}

/**
 * The source-event workflow's activities. Each is idempotent (journey ids from the event,
 * mandates keyed by holder, subject and kind, the inbox row marked once), so Temporal's retries
 * repeat nothing; while one waits for a retry, the inbox row says why (`error`).
 */
export function createSourceEventActivities(deps: SourceEventActivityDeps): SourceEventActivities {
  const inbox = new SourceEventInbox(deps.dataSource);
  const readModel = new JourneyReadModel(deps.dataSource);
  const catalog = new CatalogService(deps.dataSource);
  const launcher = new JourneyLauncher({ client: deps.client, taskQueue: deps.taskQueue, subjectHashKey: deps.config.temporal.subjectHashKey, reminderBefore: deps.config.notifications?.reminderBefore });
  const grants = new MandateGrants(deps.dataSource, deps.config);
  const waitMs = deps.readModelWaitMs ?? 30_000;

  /** Published versions never change: their resolved snapshots are kept. */
  const snapshots = new Map<string, LifeEventSnapshot>();
  const snapshotOf = async (key: string, version: number) => {
    const cached = snapshots.get(`${key}@${version}`);
    if (cached) return cached;
    const snapshot = await catalog.resolveSnapshot(key, version);
    if (snapshots.size >= 1000) snapshots.clear();
    snapshots.set(`${key}@${version}`, snapshot);
    return snapshot;
  };

  /** Runs a step; when it fails, the inbox row says why the event waits (the row stays `received`). */
  const noting = async <T>(event: { source: string; id: string }, fn: () => Promise<T>): Promise<T> => {
    try {
      return await fn();
    } catch (err) {
      await inbox.noteError(event.source, event.id, (err as Error).message).catch(() => undefined);
      throw err;
    }
  };

  return {
    async planSourceEvent(input: SourceEventInput): Promise<SourceEventPlan> {
      const row = await inbox.find(input.source, input.eventId);
      if (!row) throw ApplicationFailure.nonRetryable(`source event ${input.source}/${input.eventId} is not in the inbox`);
      const event: StoredEvent = {
        specversion: '1.0',
        id: row.event_id,
        source: row.source,
        type: row.type,
        ...(row.subject ? { subject: row.subject } : {}),
        ...(row.time ? { time: new Date(row.time).toISOString() } : {}),
        data: row.data ?? {},
      };
      const header = { source: event.source, id: event.id, type: event.type, ...(event.subject ? { subject: event.subject } : {}), ...(event.time ? { time: event.time } : {}) };
      if (row.status !== 'received') return { done: { status: row.status, result: row.result as never }, event: header, starts: [], skipped: [] };
      const skipped: SourceEventPlan['skipped'] = [];
      const starts: PlannedJourney[] = [];
      for (const candidate of await inbox.triggeredBy<LifeEventTrigger>(event.type)) {
        let snapshot: LifeEventSnapshot;
        try {
          snapshot = await snapshotOf(candidate.key, candidate.version);
        } catch (err) {
          if (!(err instanceof CatalogError)) throw err;
          skipped.push({ lifeEvent: candidate.key, reason: `version ${candidate.version} is no longer published` });
          continue;
        }
        const choice = chooseTrigger(event, candidate.triggers, snapshot.audience, skipped, candidate.key);
        if ('skip' in choice) {
          skipped.push({ lifeEvent: candidate.key, reason: choice.skip });
          continue;
        }
        const journeyId = eventJourneyId(candidate.key, event.source, event.id);
        const { subject, data, mandates } = choice.start;
        starts.push({
          journeyId,
          lifeEvent: { key: snapshot.key, version: snapshot.version },
          subject,
          data,
          ...(mandates ? { mandates: { ...mandates, subject, journeyId, lifeEvent: candidate.key, event: { source: event.source, id: event.id } } } : {}),
        });
      }
      // An annulment that came first (events may arrive out of order) voids the registration.
      const annulled = starts.length && input.annulledBy.length && event.subject ? await inbox.firstOf(event.source, input.annulledBy, event.subject) : undefined;
      if (annulled) {
        for (const s of starts) skipped.push({ lifeEvent: s.lifeEvent.key, reason: `not started: ${event.source} annulled this registration (event ${annulled})` });
        return { event: header, starts: [], skipped };
      }
      return { event: header, starts, skipped };
    },

    async confirmMandates(request) {
      // A mandate only on the register's word: a register that refuses the read (4xx) refuses them (confirm says so); one that cannot answer is asked again.
      return noting(request.event, async () => {
        try {
          return await grants.confirm(request);
        } catch (err) {
          if (err instanceof SourceUnavailableError) throw ApplicationFailure.retryable(`the register cannot confirm the mandates yet: ${err.message}`, 'SourceUnavailable');
          throw err;
        }
      });
    },

    async launchEventJourney({ event, journey }) {
      await noting(event, async () => {
        const snapshot = await snapshotOf(journey.lifeEvent.key, journey.lifeEvent.version);
        await launcher.launch(
          {
            journeyId: journey.journeyId,
            idempotencyKey: eventIdempotencyKey(journey.lifeEvent.key, event.source, event.id),
            snapshot,
            subject: journey.subject,
            data: journey.data,
            startedBy: `source:${event.source}`,
            sourceEvent: { source: event.source, id: event.id, type: event.type },
          },
        );
        // Unlike POST /journeys, this waits for the journey's first projection (no one waits on the
        // other end): an annulment and a correction find the journeys an event started in the read
        // model (`openStartedBy`, `openJourneysOf`), so the event counts as processed only once they can.
        if (!(await readModel.waitFor(journey.journeyId, undefined, waitMs))) throw ApplicationFailure.retryable(`journey ${journey.journeyId} started; the read model does not show it yet`, 'ReadModelBehind');
      });
    },

    async grantMandates(confirmation) {
      return noting(confirmation.request.event, () => grants.grant(confirmation));
    },

    async annulRegistration({ source, eventId, subject, annuls }) {
      return noting({ source, id: eventId }, async () => {
        const pending = await inbox.firstOf(source, [annuls.type], subject, true);
        if (pending) throw ApplicationFailure.retryable(`the annulment waits until the registration it annuls (event ${pending}) is processed`, 'RegistrationPending');
        const open = await readModel.openStartedBy(subject, source, annuls.type);
        const reason = `The ${annuls.description} was annulled by ${source} (event ${eventId}).`;
        const cancelled: Array<{ journeyId: string; outcome: 'cancelled' | 'already-closed' }> = [];
        for (const id of open) {
          try {
            await deps.client.workflow.getHandle(journeyWorkflowId(id)).executeUpdate(cancelJourneyUpdate, { args: [{ reason, by: `source:${source}` }] });
          } catch (err) {
            if (err instanceof WorkflowUpdateFailedError || err instanceof WorkflowNotFoundError || /not found|already completed/i.test(String((err as Error)?.message))) {
              cancelled.push({ journeyId: id, outcome: 'already-closed' });
              continue;
            }
            throw err;
          }
          // The journey projects its cancellation; the outcome is recorded once the read model shows it.
          if (!(await readModel.waitFor(id, (r) => r.status === 'cancelled' || r.status === 'compensating', waitMs))) throw ApplicationFailure.retryable(`journey ${id} is cancelled; the read model does not show it yet`, 'ReadModelBehind');
          cancelled.push({ journeyId: id, outcome: 'cancelled' });
        }
        const mandates = await grants.revokeAll(subject, { source, id: eventId });
        const skipped = open.length ? [] : [{ reason: `no open journey was started by a ${annuls.description} of ${subject}` }];
        return { cancelled, mandates, skipped };
      });
    },

    async openJourneysOf(subjectId) {
      return readModel.openOf(subjectId);
    },

    async recordSourceEventOutcome({ source, eventId, result }) {
      const status = result.started.length || result.cancelled.length || result.signalled.length || result.mandates.length ? 'processed' : 'ignored';
      if (await inbox.finish(source, eventId, status, result)) return { status, result };
      // Recorded before (a run that was not told it had): that outcome stands.
      const row = (await inbox.find(source, eventId))!;
      return { status: row.status as 'processed', result: row.result as never };
    },
  };
}
