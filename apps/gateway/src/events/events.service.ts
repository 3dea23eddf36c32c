import { Injectable, Logger } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { isGrpcServiceError, WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { encodeToPayloads } from '@temporalio/common/lib/internal-non-workflow';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { DataSource, type EntityManager } from 'typeorm';
import { cancelJourneyUpdate, sourceEventSignal, type SourceEventNotice } from '@levensloop/contracts/workflow';
import { tryEvaluateCondition, type LifeEventSnapshot, type LifeEventTrigger, type Subject } from '@levensloop/domain';
import { queryRows } from '@levensloop/persistence';
import { SourceUnavailableError } from '@levensloop/sources';
import type { Principal } from '../auth/principal';
import { notFound, ProblemException, type FieldProblem } from '../common/problem';
import { flattenValidationErrors } from '../common/validation';
import { EngineUnavailableError, journeyIdFor, JourneysService, workflowIdOf } from '../journeys/journeys.service';
import { withTimeout } from '../journeys/workflow-errors';
import { MandateGrants, type MandateConfirmation, type MandateOutcome } from '../mandates/mandate-grants';
import { eventMetrics } from '../metrics/metrics';
import { TemporalService } from '../temporal/temporal.provider';
import { CLOUD_EVENT_ATTRIBUTES, CloudEventDto, EXTENSION_NAME, MAX_BATCH } from './cloud-event.dto';
import { annulmentsOf, checkEventData, EVENT_TYPES, isEnterpriseNumber, isNationalNumber, knownTypesOf, valueAt, type EventTypeSpec } from './event-types';

/** How many events one gateway processes at once: each holds a connection while it talks to Temporal. */
const PROCESSING_CONCURRENCY = 4;
const UPDATE_TIMEOUT_MS = 20_000;
/** A start or a signal gives up after this long: the inbox row stays locked meanwhile. */
const CALL_TIMEOUT_MS = 5_000;
const BUSY = 'another gateway is processing this event';
/**
 * How long a request waits for its events to be processed before answering `received` (the
 * processing goes on, or the recovery loop takes over): below a source's delivery timeout, so
 * an engine outage does not turn into redeliveries.
 */
const ANSWER_WITHIN_MS = 4_000;

/** An event as stored in the inbox and as trigger conditions see it (`event.data.x`). */
export interface StoredEvent {
  specversion: '1.0';
  id: string;
  source: string;
  type: string;
  subject?: string;
  time?: string;
  data: Record<string, unknown>;
}

export interface EventResult {
  started: Array<{ journeyId: string; lifeEvent: { key: string; version: number }; subject: Subject }>;
  cancelled: Array<{ journeyId: string; outcome: 'cancelled' | 'already-closed' }>;
  signalled: Array<{ journeyId: string; outcome: 'signalled' | 'closed' }>;
  /** Mandates granted, renewed (one that had ended, or covered less) or there already, refused because the register does not confirm the relation (with the reason), revoked. */
  mandates: MandateOutcome[];
  /** Why something did not happen (a condition that did not hold, an annulled registration, ...). */
  skipped: Array<{ lifeEvent?: string; reason: string }>;
}

export interface ProcessOutcome {
  status: 'received' | 'processed' | 'ignored' | 'failed';
  result?: EventResult;
  /** Why the event waits for a retry (it is stored: the recovery loop processes it later). */
  retry?: string;
}

/** A processing step that cannot succeed yet (an engine outage, an annulment waiting for its registration). */
class RetryLater extends Error {}

interface PlannedStart {
  snapshot: LifeEventSnapshot;
  trigger: LifeEventTrigger;
  subject: Subject;
  data: Record<string, unknown>;
  /** The mandates the event asks for, as the register confirmed them. */
  mandates?: MandateConfirmation;
}

const isRecord = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** A UUID from a string: a repeated signal carries the same request id, and Temporal drops it. */
function requestIdFor(key: string): string {
  const h = createHash('sha256').update(key).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${((parseInt(h[16], 16) & 3) | 8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** One journey per life event per source event: the workflow id says so, also when two copies race. */
export const eventJourneyId = (lifeEventKey: string, source: string, eventId: string) => journeyIdFor(`event:${lifeEventKey}:${source}:${eventId}`);

function eventIdempotencyKey(lifeEventKey: string, source: string, eventId: string): string {
  const key = `event:${source}:${eventId}:${lifeEventKey}`;
  return key.length <= 300 ? key : `event:sha256:${createHash('sha256').update(key).digest('hex')}`;
}

/** A small semaphore: at most `limit` runs at once, the rest wait in order. */
class Limiter {
  private active = 0;
  private readonly waiting: Array<() => void> = [];
  constructor(private readonly limit: number) {}
  async run<T>(fn: () => Promise<T>): Promise<T> {
    if (this.active >= this.limit) await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.active++;
    try {
      return await fn();
    } finally {
      this.active--;
      this.waiting.shift()?.();
    }
  }
}

@Injectable()
export class EventsService {
  private readonly logger = new Logger('Events');
  private readonly limiter = new Limiter(PROCESSING_CONCURRENCY);

  constructor(
    private readonly db: DataSource,
    private readonly journeys: JourneysService,
    private readonly temporal: TemporalService,
    private readonly grants: MandateGrants,
  ) {}

  // --- receiving ---------------------------------------------------------------------------------

  /**
   * Validates every event first (nothing is stored when one is bad), stores the new ones in the
   * inbox in one transaction, then processes them. `batch` decides the JSON pointers (`/3/data/x`).
   */
  async receive(principal: Principal, items: unknown[], batch: boolean) {
    const events = this.validate(principal, items, batch);
    const { fresh, duplicates } = await this.store(principal, events, batch).catch((err) => {
      if (err instanceof ProblemException) throw err;
      this.logger.error(`The inbox could not store ${events.length} event(s): ${(err as Error).message}`);
      // Nothing was stored (one transaction): the source delivers again later.
      throw new ProblemException(503, 'The inbox cannot store events right now; nothing was stored. Deliver the same events again shortly.', { slug: 'inbox-unavailable' });
    });
    const outcomes = new Map<string, ProcessOutcome>();
    // processNow never rejects: what is not done in time goes on in the background.
    const processing = Promise.all(fresh.map(async (e) => outcomes.set(e.id, await this.process(e.source, e.id, e))));
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([processing, new Promise((resolve) => (timer = setTimeout(resolve, ANSWER_WITHIN_MS)))]);
    clearTimeout(timer);
    return events.map((e) => {
      const base = { source: e.source, id: e.id, type: e.type, subject: e.subject };
      const dup = duplicates.get(e.id);
      if (dup) return { ...base, status: 'duplicate' as const, original: dup };
      const outcome = outcomes.get(e.id) ?? { status: 'received' as const, retry: `still being processed; see GET /events/${e.source}/${e.id}` };
      return { ...base, status: outcome.status, ...(outcome.result ? { result: outcome.result } : {}), ...(outcome.retry ? { retry: outcome.retry } : {}) };
    });
  }

  private validate(principal: Principal, items: unknown[], batch: boolean): StoredEvent[] {
    if (!principal.source) {
      eventMetrics.rejected.inc({ reason: 'forbidden' }, 1);
      throw new ProblemException(403, "The token has no source claim: only an authentic source's token (role source, claim source) may publish events.", { slug: 'forbidden' });
    }
    if (batch && (items.length === 0 || items.length > MAX_BATCH)) {
      eventMetrics.rejected.inc({ reason: 'malformed' }, 1);
      throw new ProblemException(400, `A batch holds 1 to ${MAX_BATCH} events (got ${items.length}); split larger batches.`, { slug: 'invalid-event', title: 'Invalid event' });
    }
    const problems: Record<400 | 403 | 409 | 422, FieldProblem[]> = { 400: [], 403: [], 409: [], 422: [] };
    const events: StoredEvent[] = [];
    const seen = new Map<string, { index: number; json: string }>();
    items.forEach((raw, index) => {
      const ptr = batch ? `/${index}` : '';
      if (!isRecord(raw)) {
        problems[400].push({ path: ptr || '/', message: 'an event is a JSON object: a CloudEvent 1.0 in structured mode' });
        return;
      }
      const before = problems[400].length;
      for (const name of Object.keys(raw)) {
        if (name === 'data_base64') problems[400].push({ path: `${ptr}/data_base64`, message: 'binary data is not accepted: send data as a JSON object' });
        else if (!CLOUD_EVENT_ATTRIBUTES.includes(name) && !EXTENSION_NAME.test(name)) {
          problems[400].push({ path: `${ptr}/${name}`, message: `'${name}' is not a CloudEvents attribute (extension names are 1 to 20 lower-case letters and digits)` });
        }
      }
      const dto = plainToInstance(CloudEventDto, raw);
      const errors = validateSync(dto, { validationError: { target: false, value: false } });
      problems[400].push(...flattenValidationErrors(errors, ptr));
      if (problems[400].length > before) return;

      if (dto.source !== principal.source) {
        problems[403].push({ path: `${ptr}/source`, message: `this token publishes as '${principal.source}', not '${dto.source}'` });
        return;
      }
      const spec = EVENT_TYPES[dto.type];
      if (!spec || spec.source !== dto.source) {
        const known = knownTypesOf(dto.source);
        problems[422].push({
          path: `${ptr}/type`,
          message: spec
            ? `'${dto.type}' is published by ${spec.source}, not by ${dto.source}`
            : `unknown event type '${dto.type}'; ${known.length ? `the known types of ${dto.source} are: ${known.join(', ')}` : `no types are known for source '${dto.source}'; known types: ${knownTypesOf().join(', ')}`}`,
        });
        return;
      }
      const dataProblems = checkEventData(spec, dto.data, ptr);
      problems[422].push(...dataProblems);
      if (dataProblems.length) return;
      const subject = valueAt(dto.data, spec.subject.path) as string;
      if (dto.subject !== undefined && dto.subject !== subject) {
        problems[422].push({ path: `${ptr}/subject`, message: `subject must be the ${spec.subject.type} in data.${spec.subject.path} (${subject}), or be left out` });
        return;
      }
      const event: StoredEvent = {
        specversion: '1.0',
        id: dto.id,
        source: dto.source,
        type: dto.type,
        subject,
        // Normalised as the inbox gives it back, so a condition sees the same event inline and on a retry.
        ...(dto.time ? { time: new Date(dto.time).toISOString() } : {}),
        data: dto.data,
      };
      const json = JSON.stringify([event.type, event.data]);
      const earlier = seen.get(event.id);
      if (earlier && earlier.json !== json) {
        problems[409].push({ path: `${ptr}/id`, message: `id '${event.id}' is also used by event ${earlier.index} of this batch for a different event; a new event needs a new id` });
        return;
      }
      if (earlier) return; // the same event twice in one batch: once is enough
      seen.set(event.id, { index, json });
      events.push(event);
    });

    // The most basic problem decides the status; every problem is listed.
    const status = ([400, 403, 409, 422] as const).find((s) => problems[s].length);
    if (status) {
      const all = [...problems[400], ...problems[403], ...problems[409], ...problems[422]];
      eventMetrics.rejected.inc({ reason: { 400: 'malformed', 403: 'wrong-source', 409: 'id-reused', 422: 'unprocessable' }[status] }, 1);
      const what = batch ? `${new Set(all.map((p) => p.path.split('/')[1])).size} of the ${items.length} events have problems` : 'The event has problems';
      throw new ProblemException(status, `${what}; nothing was stored. ${all.map((p) => `${p.path}: ${p.message}`).join('; ')}`, {
        slug: { 400: 'invalid-event', 403: 'forbidden', 409: 'event-id-reused', 422: 'unprocessable-event' }[status],
        title: { 400: 'Invalid event', 403: 'Forbidden', 409: 'Event id reused', 422: 'Unprocessable event' }[status],
        errors: all,
      });
    }
    return events;
  }

  /**
   * Inserts the new events in one transaction; an id already stored is a duplicate when it is the
   * same event (type and data), and refuses the whole request when it is not.
   */
  private async store(principal: Principal, events: StoredEvent[], batch: boolean) {
    const source = principal.source!;
    return this.db.transaction(async (tx) => {
      const inserted = await queryRows<{ event_id: string }>(
        tx,
        `INSERT INTO source_events (source, event_id, type, subject, time, data, received_by)
         SELECT $1, e.event_id, e.type, e.subject, e.time, e.data, $7
           FROM unnest($2::text[], $3::text[], $4::text[], $5::timestamptz[], $6::jsonb[]) AS e(event_id, type, subject, time, data)
         ON CONFLICT (source, event_id) DO NOTHING RETURNING event_id`,
        [source, events.map((e) => e.id), events.map((e) => e.type), events.map((e) => e.subject ?? null), events.map((e) => e.time ?? null), events.map((e) => JSON.stringify(e.data)), principal.sub],
      );
      const insertedIds = new Set(inserted.map((r) => r.event_id));
      const fresh = events.filter((e) => insertedIds.has(e.id));
      const again = events.filter((e) => !insertedIds.has(e.id));
      const duplicates = new Map<string, { status: string; receivedAt: Date; processedAt?: Date; result?: unknown }>();
      if (again.length) {
        const rows = await queryRows<{ event_id: string; status: string; received_at: Date; processed_at: Date | null; result: unknown; same: boolean; type: string }>(
          tx,
          `SELECT s.event_id, s.status, s.received_at, s.processed_at, s.result, s.type, (s.type = e.type AND s.data = e.data) AS same
             FROM unnest($2::text[], $3::text[], $4::jsonb[]) AS e(event_id, type, data)
             JOIN source_events s ON s.source = $1 AND s.event_id = e.event_id`,
          [source, again.map((e) => e.id), again.map((e) => e.type), again.map((e) => JSON.stringify(e.data))],
        );
        const reused = rows.filter((r) => !r.same);
        if (reused.length) {
          eventMetrics.rejected.inc({ reason: 'id-reused' }, 1);
          const index = new Map(events.map((e, i) => [e.id, i]));
          throw new ProblemException(409, `${reused.length === 1 ? 'An event id was' : `${reused.length} event ids were`} already used by ${source} for a different event; a new event needs a new id. Nothing was stored.`, {
            slug: 'event-id-reused',
            title: 'Event id reused',
            errors: reused.map((r) => ({ path: `${batch ? `/${index.get(r.event_id)}` : ''}/id`, message: `'${r.event_id}' was received on ${new Date(r.received_at).toISOString()} as a ${r.type} with other data` })),
          });
        }
        for (const r of rows) duplicates.set(r.event_id, { status: r.status, receivedAt: r.received_at, ...(r.processed_at ? { processedAt: r.processed_at } : {}), ...(r.result ? { result: r.result } : {}) });
      }
      for (const e of fresh) eventMetrics.received.inc({ source: e.source, type: e.type });
      for (const e of again) eventMetrics.duplicates.inc({ source: e.source, type: e.type });
      return { fresh, duplicates };
    });
  }

  // --- processing --------------------------------------------------------------------------------

  /**
   * Processes a stored event once: plans what it starts (reads only), then, holding the inbox
   * row's lock (`FOR UPDATE SKIP LOCKED`, so two gateways never work on one event), starts,
   * cancels or signals and marks the row in the same transaction. Every effect is idempotent
   * (workflow ids, signal request ids, ON CONFLICT), so a retry after a crash halfway repeats
   * nothing. On failure the row stays `received` for the recovery loop.
   */
  process(source: string, eventId: string, stored?: StoredEvent): Promise<ProcessOutcome> {
    return this.limiter.run(() => this.processNow(source, eventId, stored));
  }

  /** `stored`: the event just inserted (saves reading it back); the row's status is checked under the lock. */
  private async processNow(source: string, eventId: string, stored?: StoredEvent): Promise<ProcessOutcome> {
    let event: StoredEvent | undefined = stored;
    try {
      if (!event) {
        const rows = await queryRows(this.db, `SELECT * FROM source_events WHERE source = $1 AND event_id = $2`, [source, eventId]);
        const row = rows[0];
        if (!row) throw new Error(`source event ${source}/${eventId} is not in the inbox`);
        if (row.status !== 'received') return { status: row.status, result: row.result ?? undefined };
        event = {
          specversion: '1.0',
          id: row.event_id,
          source: row.source,
          type: row.type,
          ...(row.subject ? { subject: row.subject } : {}),
          ...(row.time ? { time: new Date(row.time).toISOString() } : {}),
          data: row.data ?? {},
        };
      }
      const spec = EVENT_TYPES[event.type];
      if (!spec) return await this.finish(event, 'failed', emptyResult(), `the event type ${event.type} is no longer known to this gateway`);
      const result = emptyResult();
      const planned = await this.planStarts(event, result);

      const outcome = await this.db.transaction(async (tx): Promise<ProcessOutcome | undefined> => {
        const locked = await queryRows(tx, `SELECT status FROM source_events WHERE source = $1 AND event_id = $2 FOR UPDATE SKIP LOCKED`, [source, eventId]);
        if (!locked[0]) return { status: 'received', retry: BUSY };
        if (locked[0].status !== 'received') return undefined;
        if (spec.kind === 'annul') await this.annul(tx, event!, spec, result);
        if (spec.kind === 'change' || spec.kind === 'correct') await this.notify(tx, event!, spec, result);
        await this.start(tx, event!, planned, result);
        const status = result.started.length || result.cancelled.length || result.signalled.length || result.mandates.length ? 'processed' : 'ignored';
        if (status === 'ignored' && !result.skipped.length) result.skipped.push({ reason: `no published life event is started by ${event!.type}, and nothing was open for it to change` });
        await tx.query(`UPDATE source_events SET status = $3, processed_at = now(), result = $4, error = NULL WHERE source = $1 AND event_id = $2`, [source, eventId, status, JSON.stringify(result)]);
        return { status, result };
      });
      if (!outcome) {
        const again = await queryRows(this.db, `SELECT status, result FROM source_events WHERE source = $1 AND event_id = $2`, [source, eventId]);
        return { status: again[0].status, result: again[0].result ?? undefined };
      }
      if (outcome.status !== 'received') {
        eventMetrics.processed.inc({ source: event.source, type: event.type, outcome: outcome.status });
        eventMetrics.journeys.inc({ action: 'started' }, outcome.result!.started.length);
        eventMetrics.journeys.inc({ action: 'cancelled' }, outcome.result!.cancelled.filter((c) => c.outcome === 'cancelled').length);
        eventMetrics.journeys.inc({ action: 'signalled' }, outcome.result!.signalled.filter((c) => c.outcome === 'signalled').length);
      }
      return outcome;
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      if (!(err instanceof RetryLater)) this.logger.warn(`Source event ${source}/${eventId} waits for a retry: ${message}`);
      if (event) eventMetrics.processed.inc({ source: event.source, type: event.type, outcome: 'deferred' });
      // Best effort: the row is still `received` whatever happens here.
      await this.db
        .query(`UPDATE source_events SET error = $3 WHERE source = $1 AND event_id = $2 AND status = 'received'`, [source, eventId, message.slice(0, 2000)])
        .catch(() => undefined);
      return { status: 'received', retry: message };
    }
  }

  private async finish(event: StoredEvent, status: 'failed', result: EventResult, error: string): Promise<ProcessOutcome> {
    await this.db.query(`UPDATE source_events SET status = $3, processed_at = now(), result = $4, error = $5 WHERE source = $1 AND event_id = $2 AND status = 'received'`, [event.source, event.id, status, JSON.stringify(result), error]);
    return { status, result, retry: undefined };
  }

  /** The latest published version of every life event whose triggers name the type, and what each would start. */
  private async planStarts(event: StoredEvent, result: EventResult): Promise<PlannedStart[]> {
    const rows = await queryRows<{ key: string; version: number; triggers: LifeEventTrigger[] }>(
      this.db,
      `SELECT key, version, definition->'triggers' AS triggers
         FROM (SELECT DISTINCT ON (key) key, version, definition FROM life_events
                WHERE status = 'published' ORDER BY key, version DESC) latest
        WHERE definition->'triggers' @> $1::jsonb
        ORDER BY key`,
      [JSON.stringify([{ eventType: event.type }])],
    );
    const planned: PlannedStart[] = [];
    for (const row of rows) {
      const skip = (reason: string) => result.skipped.push({ lifeEvent: row.key, reason });
      // The first trigger whose condition holds starts the life event; the others would start the same journey.
      let chosen: { trigger: LifeEventTrigger; subjectId: string } | undefined;
      const reasons: string[] = [];
      for (const trigger of row.triggers.filter((t) => t.eventType === event.type)) {
        if (trigger.condition !== undefined) {
          const holds = tryEvaluateCondition(trigger.condition, { event }, ['event']);
          if (holds.error) {
            reasons.push(`its condition could not be evaluated: ${holds.error}`);
            continue;
          }
          if (!holds.value) {
            reasons.push('its condition does not hold for this event');
            continue;
          }
        }
        const subjectId = valueAt(event.data, trigger.subject.path);
        const valid = trigger.subject.type === 'person' ? isNationalNumber(subjectId) : isEnterpriseNumber(subjectId);
        if (!valid) {
          reasons.push(`data.${trigger.subject.path} is not ${trigger.subject.type === 'person' ? 'a national number' : 'an enterprise number'} (${JSON.stringify(subjectId) ?? 'missing'})`);
          continue;
        }
        chosen = { trigger, subjectId: subjectId as string };
        break;
      }
      if (!chosen) {
        skip(`not started: ${[...new Set(reasons)].join('; ')}`);
        continue;
      }
      let snapshot: LifeEventSnapshot;
      try {
        snapshot = await this.journeys.publishedSnapshot(row.key, row.version);
      } catch (err) {
        if (err instanceof ProblemException) {
          skip(`version ${row.version} is no longer published`);
          continue;
        }
        throw err;
      }
      const { trigger, subjectId } = chosen;
      if (snapshot.audience === 'business' && trigger.subject.type !== 'enterprise') {
        skip('the life event is for enterprises, and the trigger names a person');
        continue;
      }
      const data: Record<string, unknown> = {};
      for (const [name, path] of Object.entries(trigger.data ?? {})) {
        const value = valueAt(event.data, path);
        if (value !== undefined) data[name] = value;
      }
      let holders: string[] = [];
      if (trigger.mandates) {
        const listed = valueAt(event.data, trigger.mandates.path);
        const list = Array.isArray(listed) ? listed : listed === undefined ? [] : [listed];
        holders = [...new Set(list.filter(isNationalNumber))].filter((h) => h !== subjectId);
        if (holders.length < list.length) result.skipped.push({ lifeEvent: row.key, reason: `some of data.${trigger.mandates.path} are not national numbers: no mandate for them` });
      }
      const subject: Subject = { type: trigger.subject.type, id: subjectId };
      let mandates: MandateConfirmation | undefined;
      if (holders.length && trigger.mandates) {
        // A mandate only on the register's word: the declared relation is checked before anything is granted.
        mandates = await this.grants
          .confirm({
            subject,
            holders,
            kind: trigger.mandates.kind,
            access: trigger.mandates.access ?? 'act',
            lifeEvents: trigger.mandates.lifeEvents ?? null,
            journeyId: eventJourneyId(row.key, event.source, event.id),
            lifeEvent: row.key,
            event: { source: event.source, id: event.id },
          })
          .catch((err) => {
            // A register that refuses the read (4xx) refuses the mandates (confirm says so); one that cannot answer is asked again.
            if (err instanceof SourceUnavailableError) throw new RetryLater(`the register cannot confirm the mandates yet: ${err.message}`);
            throw err;
          });
      }
      planned.push({ snapshot, trigger, subject, data, ...(mandates ? { mandates } : {}) });
    }
    return planned;
  }

  private async start(tx: EntityManager, event: StoredEvent, planned: PlannedStart[], result: EventResult) {
    if (!planned.length) return;
    // An annulment that came first (events may arrive out of order) voids the registration.
    const annulments = annulmentsOf(event.type);
    if (annulments.length && event.subject) {
      const annulled = await queryRows(tx, `SELECT event_id FROM source_events WHERE source = $1 AND type = ANY($2) AND subject = $3 LIMIT 1`, [event.source, annulments, event.subject]);
      if (annulled[0]) {
        for (const p of planned) result.skipped.push({ lifeEvent: p.snapshot.key, reason: `not started: ${event.source} annulled this registration (event ${annulled[0].event_id})` });
        return;
      }
    }
    for (const p of planned) {
      const journeyId = eventJourneyId(p.snapshot.key, event.source, event.id);
      try {
        await this.journeys.launch(
          {
            journeyId,
            idempotencyKey: eventIdempotencyKey(p.snapshot.key, event.source, event.id),
            snapshot: p.snapshot,
            subject: p.subject,
            data: p.data,
            startedBy: `source:${event.source}`,
            sourceEvent: { source: event.source, id: event.id, type: event.type },
            startTimeoutMs: CALL_TIMEOUT_MS,
          },
          tx,
        );
      } catch (err) {
        if (err instanceof EngineUnavailableError) throw new RetryLater(`the journey engine is not reachable (${err.message})`);
        throw err;
      }
      result.started.push({ journeyId, lifeEvent: { key: p.snapshot.key, version: p.snapshot.version }, subject: p.subject });
      if (p.mandates) {
        for (const m of await this.grants.grant(tx, p.mandates)) {
          // Two life events started by one event ask for the same mandates: say it once.
          if (!result.mandates.some((r) => r.holderId === m.holderId && r.subjectId === m.subjectId && r.kind === m.kind)) result.mandates.push(m);
        }
      }
    }
  }

  /** Cancels the open journeys the annulled registration started, and ends the mandates its source granted for the subject. */
  private async annul(tx: EntityManager, event: StoredEvent, spec: EventTypeSpec, result: EventResult) {
    const registration = spec.annuls!;
    const pending = await queryRows(tx, `SELECT event_id FROM source_events WHERE source = $1 AND type = $2 AND subject = $3 AND status = 'received' LIMIT 1`, [event.source, registration, event.subject]);
    if (pending[0]) throw new RetryLater(`the annulment waits until the registration it annuls (event ${pending[0].event_id}) is processed`);
    const open = await queryRows<{ id: string }>(
      tx,
      `SELECT id FROM journeys WHERE subject_id = $1 AND source_event->>'source' = $2 AND source_event->>'type' = $3 AND status IN ('running', 'needs_attention')`,
      [event.subject, event.source, registration],
    );
    const reason = `The ${EVENT_TYPES[registration]?.description ?? registration} was annulled by ${event.source} (event ${event.id}).`;
    for (const { id } of open) {
      try {
        await withTimeout(
          this.temporal.client.workflow.getHandle(workflowIdOf(id)).executeUpdate(cancelJourneyUpdate, { args: [{ reason, by: `source:${event.source}` }] }),
          UPDATE_TIMEOUT_MS,
        );
      } catch (err) {
        if (err instanceof WorkflowUpdateFailedError || err instanceof WorkflowNotFoundError || /not found|already completed/i.test(String((err as Error)?.message))) {
          result.cancelled.push({ journeyId: id, outcome: 'already-closed' });
          continue;
        }
        throw new RetryLater(`journey ${id} could not be cancelled yet: ${(err as Error).message}`);
      }
      await tx.query(`UPDATE journeys SET status = 'cancelled', cancel_reason = $2, updated_at = now() WHERE id = $1 AND status <> 'cancelled'`, [id, reason]);
      result.cancelled.push({ journeyId: id, outcome: 'cancelled' });
    }
    result.mandates.push(...(await this.grants.revokeAll(tx, event.subject!, { source: event.source, id: event.id })));
    if (!open.length) result.skipped.push({ reason: `no open journey was started by a ${EVENT_TYPES[registration]?.description ?? registration} of ${event.subject}` });
  }

  /**
   * Tells the subject's open journeys that a record changed. The signal's request id is derived
   * from the event and the journey, so a retry after a crash is dropped by Temporal.
   */
  private async notify(tx: EntityManager, event: StoredEvent, spec: EventTypeSpec, result: EventResult) {
    const open = await queryRows<{ id: string }>(tx, `SELECT id FROM journeys WHERE subject_id = $1 AND status IN ('running', 'needs_attention') ORDER BY started_at`, [event.subject]);
    const notice: SourceEventNotice = {
      source: event.source,
      eventId: event.id,
      type: event.type,
      kind: spec.kind === 'correct' ? 'corrected' : 'changed',
      at: event.time ?? new Date().toISOString(),
    };
    const client = this.temporal.client;
    const payloads = await encodeToPayloads(client.options.loadedDataConverter, notice);
    for (const { id } of open) {
      try {
        await this.temporal.connection.withDeadline(Date.now() + CALL_TIMEOUT_MS, () => client.workflowService.signalWorkflowExecution({
          namespace: client.options.namespace,
          workflowExecution: { workflowId: workflowIdOf(id) },
          signalName: sourceEventSignal.name,
          input: { payloads },
          identity: client.options.identity,
          requestId: requestIdFor(`${event.source}:${event.id}:${id}`),
        }));
        result.signalled.push({ journeyId: id, outcome: 'signalled' });
      } catch (err) {
        // NOT_FOUND: the journey closed meanwhile; it has nothing left to fetch.
        if (isGrpcServiceError(err) && err.code === 5) result.signalled.push({ journeyId: id, outcome: 'closed' });
        else throw new RetryLater(`journey ${id} could not be told yet: ${(err as Error).message}`);
      }
    }
    if (!open.length) result.skipped.push({ reason: `no open journey of ${event.subject} to tell` });
  }

  // --- reading -----------------------------------------------------------------------------------

  /** One inbox entry (personal data: who was born to whom): for auditors, and for the source that sent it. */
  async get(principal: Principal, source: string, eventId: string) {
    const mayRead = principal.roles.includes('auditor') || (principal.roles.includes('source') && principal.source === source);
    // Another source's events answer as missing: no probing of who sent what.
    if (!mayRead) throw notFound(`Event ${eventId} of ${source}`);
    const rows = await queryRows(this.db, `SELECT source, event_id, type, subject, time, received_at, received_by, status, processed_at, result, error FROM source_events WHERE source = $1 AND event_id = $2`, [source, eventId]);
    const row = rows[0];
    if (!row) throw notFound(`Event ${eventId} of ${source}`);
    return {
      source: row.source,
      id: row.event_id,
      type: row.type,
      subject: row.subject ?? undefined,
      time: row.time ?? undefined,
      receivedAt: row.received_at,
      receivedBy: row.received_by,
      status: row.status,
      processedAt: row.processed_at ?? undefined,
      result: row.result ?? undefined,
      error: row.status === 'received' ? row.error ?? undefined : undefined,
    };
  }

  // --- recovery ----------------------------------------------------------------------------------

  /**
   * When each event that failed again may be tried next (per gateway, in memory): one event that
   * keeps failing (an annulment waiting for its registration) waits longer and longer without
   * slowing down the others.
   */
  private readonly retryAt = new Map<string, { attempts: number; at: number }>();

  /**
   * Processes inbox rows left `received` (a crash, an outage) that are older than `graceSeconds`,
   * oldest first. Returns how many it processed, how many failed again, and whether the journey
   * engine seemed unreachable (then the loop itself backs off).
   */
  async recoverPending(graceSeconds: number, max = 500): Promise<{ processed: number; deferred: number; outage: boolean }> {
    const rows = await queryRows<{ source: string; event_id: string }>(
      this.db,
      `SELECT source, event_id FROM source_events
        WHERE status = 'received' AND received_at < now() - make_interval(secs => $1)
        ORDER BY received_at LIMIT $2`,
      [graceSeconds, max],
    );
    let processed = 0;
    let deferred = 0;
    const now = Date.now();
    for (const r of rows) {
      const key = `${r.source}\n${r.event_id}`;
      const backoff = this.retryAt.get(key);
      if (backoff && backoff.at > now) continue;
      const outcome = await this.process(r.source, r.event_id);
      if (outcome.retry === BUSY) continue; // not a failure: someone else has it
      if (outcome.status !== 'received') {
        this.retryAt.delete(key);
        processed++;
        continue;
      }
      deferred++;
      const attempts = (backoff?.attempts ?? 0) + 1;
      if (this.retryAt.size >= 10_000) this.retryAt.clear();
      this.retryAt.set(key, { attempts, at: Date.now() + Math.min(1000 * 2 ** attempts, 300_000) });
      // An outage: the rest would fail the same way; the next round tries again.
      if (outcome.retry && /not reachable|ECONNREFUSED|UNAVAILABLE/i.test(outcome.retry)) return { processed, deferred, outage: true };
    }
    return { processed, deferred, outage: false };
  }
}

function emptyResult(): EventResult {
  return { started: [], cancelled: [], signalled: [], mandates: [], skipped: [] };
}
