import { Injectable, Logger } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import type { StoredEvent } from '@levensloop/contracts/workflow';
import { SourceEventInbox, type EarlierEvent } from '@levensloop/persistence';
import { EventTypeCatalog } from '@levensloop/catalog';
import { checkEventData, knownTypesOf, valueAt, type EventTypeMap } from '@levensloop/sources';
import type { Principal } from '../auth/principal';
import { notFound, ProblemException, type FieldProblem } from '../common/problem';
import { flattenValidationErrors } from '../common/validation';
import { eventMetrics } from '../metrics/metrics';
import { CLOUD_EVENT_ATTRIBUTES, CloudEventDto, EXTENSION_NAME, MAX_BATCH } from './cloud-event.dto';
import { SourceEventStarter, type ProcessOutcome } from './source-event-starter';

export type { EventResult, StoredEvent } from '@levensloop/contracts/workflow';

/**
 * How long a request waits for its events to be processed before answering `received` (the
 * workflow goes on): below a source's delivery timeout, so an engine outage does not turn into
 * redeliveries.
 */
const ANSWER_WITHIN_MS = 4_000;

const isRecord = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/**
 * The inbox of source events: validates them, stores the new ones (deduplicated by source and
 * id) and starts each one's `sourceEvent` workflow, which does what the event means (see
 * workflows/src/source-event). The gateway runs no business step of its own here.
 */
@Injectable()
export class EventsService {
  private readonly logger = new Logger('Events');
  constructor(
    private readonly inbox: SourceEventInbox,
    private readonly starter: SourceEventStarter,
    private readonly eventTypes: EventTypeCatalog,
  ) {}

  // --- receiving ---------------------------------------------------------------------------------

  /**
   * Validates every event first (nothing is stored when one is bad), stores the new ones in the
   * inbox in one transaction, then starts their workflows and answers with what they did (or
   * `received`, when not done in time). `batch` decides the JSON pointers (`/3/data/x`).
   */
  async receive(principal: Principal, items: unknown[], batch: boolean) {
    const events = this.validate(principal, items, batch, await this.typesFor(items));
    const { fresh, duplicates } = await this.store(principal, events, batch).catch((err) => {
      if (err instanceof ProblemException) throw err;
      this.logger.error(`The inbox could not store ${events.length} event(s): ${(err as Error).message}`);
      // Nothing was stored (one transaction): the source delivers again later.
      throw new ProblemException(503, 'The inbox cannot store events right now; nothing was stored. Deliver the same events again shortly.', { slug: 'inbox-unavailable' });
    });
    const outcomes = await Promise.all(fresh.map(async (e) => [e.id, await this.starter.startAndWait(e, ANSWER_WITHIN_MS)] as const));
    const outcomeOf = new Map<string, ProcessOutcome>(outcomes);
    return events.map((e) => {
      const base = { source: e.source, id: e.id, type: e.type, subject: e.subject };
      const dup = duplicates.get(e.id);
      if (dup) return { ...base, status: 'duplicate' as const, original: dup };
      const outcome = outcomeOf.get(e.id)!;
      return { ...base, status: outcome.status, ...(outcome.result ? { result: outcome.result } : {}), ...(outcome.retry ? { retry: outcome.retry } : {}) };
    });
  }

  /** The known event types (kept in memory); a type not among them reads the registrations again first. */
  private async typesFor(items: unknown[]): Promise<EventTypeMap> {
    const types = await this.eventTypes.known();
    const unknown = items.map((i) => (isRecord(i) ? i.type : undefined)).find((t): t is string => typeof t === 'string' && !Object.hasOwn(types, t));
    return unknown !== undefined && (await this.eventTypes.find(unknown)) ? this.eventTypes.known() : types;
  }

  private validate(principal: Principal, items: unknown[], batch: boolean, types: EventTypeMap): StoredEvent[] {
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
      const spec = Object.hasOwn(types, dto.type) ? types[dto.type] : undefined;
      if (!spec || spec.source !== dto.source) {
        const known = knownTypesOf(dto.source, types);
        problems[422].push({
          path: `${ptr}/type`,
          message: spec
            ? `'${dto.type}' is published by ${spec.source}, not by ${dto.source}`
            : `unknown event type '${dto.type}'; ${known.length ? `the known types of ${dto.source} are: ${known.join(', ')}` : `no types are known for source '${dto.source}'; known types: ${knownTypesOf(undefined, types).join(', ')}`}`,
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
    const refuseReused = (earlier: EarlierEvent[]) => {
      const reused = earlier.filter((r) => !r.same);
      if (!reused.length) return;
      eventMetrics.rejected.inc({ reason: 'id-reused' }, 1);
      const index = new Map(events.map((e, i) => [e.id, i]));
      throw new ProblemException(409, `${reused.length === 1 ? 'An event id was' : `${reused.length} event ids were`} already used by ${source} for a different event; a new event needs a new id. Nothing was stored.`, {
        slug: 'event-id-reused',
        title: 'Event id reused',
        errors: reused.map((r) => ({ path: `${batch ? `/${index.get(r.event_id)}` : ''}/id`, message: `'${r.event_id}' was received on ${new Date(r.received_at).toISOString()} as a ${r.type} with other data` })),
      });
    };
    const { inserted, earlier } = await this.inbox.store(source, principal.sub, events, refuseReused);
    const duplicates = new Map<string, { status: string; receivedAt: Date; processedAt?: Date; result?: unknown }>();
    for (const r of earlier) duplicates.set(r.event_id, { status: r.status, receivedAt: r.received_at, ...(r.processed_at ? { processedAt: r.processed_at } : {}), ...(r.result ? { result: r.result } : {}) });
    const fresh = events.filter((e) => inserted.has(e.id));
    for (const e of fresh) eventMetrics.received.inc({ source: e.source, type: e.type });
    for (const e of events.filter((e) => !inserted.has(e.id))) eventMetrics.duplicates.inc({ source: e.source, type: e.type });
    return { fresh, duplicates };
  }

  // --- reading -----------------------------------------------------------------------------------

  /** One inbox entry (personal data: who was born to whom): for auditors, and for the source that sent it. */
  async get(principal: Principal, source: string, eventId: string) {
    const mayRead = principal.roles.includes('auditor') || (principal.roles.includes('source') && principal.source === source);
    // Another source's events answer as missing: no probing of who sent what.
    if (!mayRead) throw notFound(`Event ${eventId} of ${source}`);
    const row = await this.inbox.find(source, eventId);
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
}
