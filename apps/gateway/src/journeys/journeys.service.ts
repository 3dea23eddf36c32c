import { Inject, Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { DataSource, type EntityManager } from 'typeorm';
import { CatalogService } from '@levensloop/catalog';
import { appendAudit, preparedRows } from '@levensloop/persistence';
import type { LevensloopConfig } from '@levensloop/config';
import {
  cancelJourneyUpdate,
  JOURNEY_WORKFLOW_TYPE,
  JOURNEY_REVISION,
  initialSearchAttributes,
  journeyAgencies,
  resolveAttentionUpdate,
  type JourneyInput,
} from '@levensloop/contracts/workflow';
import type { LifeEventSnapshot, Subject } from '@levensloop/domain';
import { CONFIG } from '../config.provider';
import { isPastDue } from '../common/due';
import { conflict, forbidden, invalid, notFound, ProblemException } from '../common/problem';
import { hasRole, type Principal } from '../auth/principal';
import { TemporalService } from '../temporal/temporal.provider';
import { mandateCoversSql, MandatesService, ownIds } from '../mandates/mandates.service';
import { canSeeJourney, isSubject } from './journey-access';
import type { ListJourneysQuery, StartJourneyDto } from './journey.dto';
import { updateProblem, withTimeout } from './workflow-errors';

export const workflowIdOf = (journeyId: string) => `journey-${journeyId}`;

/** What a journey starts with, whoever starts it (a person over HTTP, or a source event). */
export interface JourneyLaunch {
  journeyId: string;
  /** Unique per journey (scoped by who supplied it); stored with the read-model row. */
  idempotencyKey: string;
  snapshot: LifeEventSnapshot;
  subject: Subject;
  data: Record<string, unknown>;
  startedBy: string;
  /** For proactive journeys: the source event that started it. */
  sourceEvent?: { source: string; id: string; type: string };
  /** Give up the start after this long (the client otherwise retries an unreachable server for about 20 s). */
  startTimeoutMs?: number;
}

/** Temporal did not accept the start (unreachable, overloaded): nothing was started. */
export class EngineUnavailableError extends Error {
  override name = 'EngineUnavailableError';
}

/** A UUID derived from the caller and their idempotency key: the same request maps to one journey. */
export function journeyIdFor(scopedKey: string): string {
  const h = createHash('sha256').update(scopedKey).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${((parseInt(h[16], 16) & 3) | 8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

export interface JourneyRow {
  id: string;
  life_event_key: string;
  life_event_version: number;
  title: Record<string, string>;
  subject_type: string;
  subject_id: string;
  status: string;
  agencies: string[];
  needs_attention: boolean;
  next_due_at: Date | null;
  started_at: Date;
  completed_at: Date | null;
  cancel_reason: string | null;
  started_by: string;
  data: Record<string, unknown>;
  updated_at: Date;
}

const UPDATE_TIMEOUT_MS = 20_000;

@Injectable()
export class JourneysService {
  constructor(
    private readonly db: DataSource,
    private readonly catalog: CatalogService,
    private readonly temporal: TemporalService,
    @Inject(CONFIG) private readonly config: LevensloopConfig,
    private readonly mandates: MandatesService,
  ) {}

  /**
   * Starts (or finds) the journey for an idempotency key. Temporal's workflow id makes the start
   * itself idempotent, also when two requests race; the read-model row is written after the
   * start, and the workflow's first projection writes it too should this process crash first.
   */
  async start(principal: Principal, dto: StartJourneyDto, idempotencyKey: string | undefined) {
    if (!idempotencyKey || !/^[\x21-\x7e]{8,200}$/.test(idempotencyKey)) {
      throw new ProblemException(400, 'Send an Idempotency-Key header (8 to 200 visible ASCII characters, e.g. a UUID) so a retried request starts the journey only once.', { slug: 'idempotency-key-required' });
    }
    if (hasRole(principal, 'citizen') && !hasRole(principal, 'caseworker', 'catalog-admin') && !isSubject(principal, dto.subject.id)) {
      throw forbidden('A citizen can start a journey only for themselves.');
    }
    if (!hasRole(principal, 'citizen', 'caseworker', 'catalog-admin')) {
      throw forbidden('Starting a journey needs the role citizen, caseworker or catalog-admin.');
    }
    const onBehalf = startsOnBehalf(principal, dto.subject.id);
    if (onBehalf && !dto.reason?.trim()) {
      throw new ProblemException(400, 'Starting a journey for someone else needs a reason (at least 3 characters); it is audited.', {
        slug: 'invalid-request',
        title: 'Invalid request',
        errors: [{ path: '/reason', message: 'is required when a caseworker or catalog admin starts a journey for someone' }],
      });
    }
    const scopedKey = `${principal.sub}:${idempotencyKey}`;
    const journeyId = journeyIdFor(scopedKey);

    // One round trip asks both whether this key was used before and which version is published.
    const [probe] = await preparedRows<{ replay: boolean; published: number | null }>(
      this.db,
      'levensloop-journey-start-probe',
      `SELECT EXISTS (SELECT 1 FROM journeys WHERE id = $1) AS replay,
              (SELECT max(version) FROM life_events WHERE key = $2 AND status = 'published' AND ($3::int IS NULL OR version = $3)) AS published`,
      [journeyId, dto.lifeEvent.key, dto.lifeEvent.version ?? null],
    );
    if (probe.replay) {
      const existing = await this.findRow(journeyId);
      if (existing) return { replayed: true, journey: await this.checkSameRequest(principal, existing, dto) };
    }
    const snapshot = await this.snapshotOf(dto.lifeEvent.key, dto.lifeEvent.version, probe.published);
    if (snapshot.audience === 'business' && dto.subject.type !== 'enterprise') {
      throw invalid(`Life event '${snapshot.key}' is for enterprises: the subject must be an enterprise.`, [{ path: '/subject/type', message: "must be 'enterprise'" }]);
    }
    if (onBehalf && !hasRole(principal, 'catalog-admin') && !(principal.agency && snapshot.nodes.some((n) => n.definition.agency === principal.agency))) {
      throw forbidden(
        principal.agency
          ? `Your agency '${principal.agency}' has no step in life event '${snapshot.key}', so you cannot start it for someone; a caseworker of one of its agencies (${[...new Set(snapshot.nodes.map((n) => n.definition.agency))].join(', ')}) can.`
          : 'Your token names no agency: a caseworker starts journeys only for life events in which their agency has a step.',
      );
    }
    const spec: JourneyLaunch = {
      journeyId,
      idempotencyKey: scopedKey,
      snapshot,
      subject: { type: dto.subject.type, id: dto.subject.id },
      data: dto.data ?? {},
      startedBy: principal.sub,
    };
    // A start for someone else and its audit row commit together (the audit row once per journey).
    const launching = onBehalf
      ? this.db.transaction(async (tx) => {
          const launched = await this.launch(spec, tx);
          await auditStartOnBehalf(tx, principal, spec, dto.reason!.trim());
          return launched;
        })
      : this.launch(spec);
    const { insertedNow, row } = await launching.catch((err) => {
      if (err instanceof EngineUnavailableError) {
        // Nothing was started: the client retries with the same key and gets one journey.
        throw new ProblemException(503, `The journey engine is not reachable right now (${err.message}); retry with the same Idempotency-Key.`, { slug: 'engine-unavailable' });
      }
      throw err;
    });
    if (insertedNow) {
      // Everything the answer holds was just written: no need to read it back.
      return {
        replayed: false,
        journey: {
          ...this.summaryOf(row),
          data: row.data,
          startedBy: row.started_by,
          steps: snapshot.nodes.map((n) => ({ key: n.key, agency: n.definition.agency, kind: n.definition.kind, status: 'pending', title: n.definition.titles, overdue: false, attempts: 0 })),
          timeline: [],
        },
      };
    }
    const existingRow = (await this.findRow(journeyId))!;
    return { replayed: false, journey: await this.checkSameRequest(principal, existingRow, dto) };
  }

  /**
   * Starts the journey's workflow (idempotent by its workflow id, also when two starts race) and
   * writes its read-model row with every step pending. Shared by the HTTP start and by source
   * events; `manager` lets an event write the row in the transaction that marks it processed.
   * `insertedNow` is false when the row was there already (a replay, or the workflow's first
   * projection came first); `row` then holds what this call would have written.
   */
  async launch(spec: JourneyLaunch, manager?: EntityManager): Promise<{ insertedNow: boolean; row: JourneyRow }> {
    const { journeyId, snapshot, subject } = spec;
    const startedAt = new Date().toISOString();
    const input: JourneyInput = {
      journeyId,
      snapshot,
      subject,
      data: spec.data,
      startedBy: spec.startedBy,
      startedAt,
      idempotencyKey: spec.idempotencyKey,
      revision: JOURNEY_REVISION,
    };
    const agencies = journeyAgencies(snapshot);
    const start = () =>
      this.temporal.client.workflow.start(JOURNEY_WORKFLOW_TYPE, {
        workflowId: workflowIdOf(journeyId),
        taskQueue: this.config.temporal.taskQueue,
        args: [input],
        typedSearchAttributes: initialSearchAttributes(snapshot, subject),
        workflowIdConflictPolicy: 'USE_EXISTING',
        workflowIdReusePolicy: 'REJECT_DUPLICATE',
      });
    try {
      await (spec.startTimeoutMs ? this.temporal.connection.withDeadline(Date.now() + spec.startTimeoutMs, start) : start());
    } catch (err) {
      if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw new EngineUnavailableError((err as Error).message);
    }
    // The journey row and every step as pending (so the journey reads complete at once) in ONE
    // statement: atomic without a transaction, and one round trip on the start path.
    const write = async (db: EntityManager | DataSource) => {
      const [{ inserted }] = await preparedRows<{ inserted: number }>(
        db,
        'levensloop-journey-start-insert',
        `WITH journey AS (
           INSERT INTO journeys (id, idempotency_key, life_event_key, life_event_version, title, subject_type,
                                 subject_id, status, agencies, started_at, started_by, data, updated_at, source_event)
           VALUES ($1, $2, $3, $4, $5, $6, $7, 'running', $8, $9, $10, $11, now(), $12)
           ON CONFLICT DO NOTHING RETURNING id
         ),
         steps AS (
           INSERT INTO journey_steps (journey_id, node_key, agency, kind, status, title)
           SELECT j.id, s.node_key, s.agency, s.kind, 'pending', s.title
             FROM journey j CROSS JOIN unnest($13::text[], $14::text[], $15::text[], $16::jsonb[]) AS s(node_key, agency, kind, title)
           ON CONFLICT DO NOTHING
         )
         SELECT count(*)::int AS inserted FROM journey`,
        [
          journeyId, spec.idempotencyKey, snapshot.key, snapshot.version, JSON.stringify(snapshot.titles), subject.type, subject.id, agencies, startedAt,
          spec.startedBy, JSON.stringify(input.data), spec.sourceEvent ? JSON.stringify(spec.sourceEvent) : null,
          snapshot.nodes.map((n) => n.key),
          snapshot.nodes.map((n) => n.definition.agency),
          snapshot.nodes.map((n) => n.definition.kind),
          snapshot.nodes.map((n) => JSON.stringify(n.definition.titles)),
        ],
      );
      if (inserted > 0) return true;
      // The workflow's first projection may have written the row without knowing the event.
      if (spec.sourceEvent) await db.query(`UPDATE journeys SET source_event = $2 WHERE id = $1 AND source_event IS NULL`, [journeyId, JSON.stringify(spec.sourceEvent)]);
      return false;
    };
    const insertedNow = await write(manager ?? this.db);
    const row: JourneyRow = {
      id: journeyId,
      life_event_key: snapshot.key,
      life_event_version: snapshot.version,
      title: snapshot.titles,
      subject_type: subject.type,
      subject_id: subject.id,
      status: 'running',
      agencies,
      needs_attention: false,
      next_due_at: null,
      started_at: new Date(startedAt),
      completed_at: null,
      cancel_reason: null,
      started_by: spec.startedBy,
      data: input.data,
      updated_at: new Date(startedAt),
    };
    return { insertedNow, row };
  }

  /**
   * Published versions never change, so their resolved snapshots are kept; which version is
   * published (a retirement, a newer version) is still asked of the database every time.
   */
  private readonly snapshots = new Map<string, LifeEventSnapshot>();

  /** A version the caller just saw published (its snapshot never changes once published). */
  async publishedSnapshot(key: string, version: number): Promise<LifeEventSnapshot> {
    return this.snapshots.get(`${key}@${version}`) ?? this.resolveSnapshot(key, version);
  }

  async resolveSnapshot(key: string, version?: number): Promise<LifeEventSnapshot> {
    const [{ published }]: Array<{ published: number | null }> = await this.db.query(
      `SELECT max(version) AS published FROM life_events WHERE key = $1 AND status = 'published' AND ($2::int IS NULL OR version = $2)`,
      [key, version ?? null],
    );
    return this.snapshotOf(key, version, published);
  }

  /** The snapshot of the version found published (asked of the database by the caller). */
  private async snapshotOf(key: string, version: number | undefined, published: number | null): Promise<LifeEventSnapshot> {
    const cached = published !== null ? this.snapshots.get(`${key}@${published}`) : undefined;
    if (cached) return cached;
    try {
      const snapshot = await this.catalog.resolveSnapshot(key, version);
      if (this.snapshots.size >= 1000) this.snapshots.clear();
      this.snapshots.set(`${key}@${snapshot.version}`, snapshot);
      return snapshot;
    } catch (err) {
      const kind = (err as { kind?: string }).kind;
      if (kind === 'not_found') {
        throw invalid(`There is no published version${version ? ` ${version}` : ''} of life event '${key}'.`, [{ path: '/lifeEvent', message: 'must reference a published life event' }]);
      }
      throw err;
    }
  }

  /**
   * The same key with a different request is a client bug: say so rather than guess. The answer
   * is the journey as the caller may see it: who may not (a catalog admin) gets the summary only,
   * so a replayed start never reads a journey's progress.
   */
  private async checkSameRequest(principal: Principal, row: JourneyRow, dto: StartJourneyDto) {
    const same =
      row.life_event_key === dto.lifeEvent.key &&
      (dto.lifeEvent.version === undefined || row.life_event_version === dto.lifeEvent.version) &&
      row.subject_type === dto.subject.type &&
      row.subject_id === dto.subject.id;
    if (!same) {
      throw new ProblemException(422, 'This Idempotency-Key was already used for a different journey request; use a new key for a new journey.', { slug: 'idempotency-key-reused' });
    }
    const visible = await canSeeJourney(principal, { subjectId: row.subject_id, agencies: row.agencies, lifeEvent: row.life_event_key }, this.mandates);
    return visible ? this.detailOf(row) : this.summaryOf(row);
  }

  async get(principal: Principal, journeyId: string) {
    const row = await this.findRow(journeyId);
    if (!row || !(await canSeeJourney(principal, { subjectId: row.subject_id, agencies: row.agencies, lifeEvent: row.life_event_key }, this.mandates))) {
      // The same answer whether it does not exist or is not yours: no probing of other people's journeys.
      throw notFound(`Journey ${journeyId}`);
    }
    return this.detailOf(row);
  }

  private async findRow(journeyId: string): Promise<JourneyRow | undefined> {
    if (!/^[0-9a-f-]{36}$/i.test(journeyId)) return undefined;
    const rows: JourneyRow[] = await this.db.query(`SELECT * FROM journeys WHERE id = $1`, [journeyId]);
    return rows[0];
  }

  private async detailOf(row: JourneyRow) {
    const [steps, events] = await Promise.all([
      // In the order of the life event's nodes (the version the journey is pinned to), so every
      // client lists the steps the same way; a step the version does not know of comes last.
      this.db.query(
        `WITH node_order AS (
           SELECT n.node->>'key' AS node_key, n.position
             FROM life_events le CROSS JOIN LATERAL jsonb_array_elements(le.definition->'nodes') WITH ORDINALITY AS n(node, position)
            WHERE le.key = $2 AND le.version = $3
         )
         SELECT s.node_key, s.agency, s.kind, s.status, s.title, s.started_at, s.due_at, s.completed_at,
                s.attempts, s.outcome, s.error, s.warned, s.escalated, t.id AS task_id, t.status AS task_status
           FROM journey_steps s
           LEFT JOIN tasks t ON t.journey_id = s.journey_id AND t.node_key = s.node_key
           LEFT JOIN node_order o ON o.node_key = s.node_key
          WHERE s.journey_id = $1
          ORDER BY o.position NULLS LAST, s.node_key`,
        [row.id, row.life_event_key, row.life_event_version],
      ),
      this.db.query(
        `SELECT seq, at, type, node_key, detail FROM journey_events WHERE journey_id = $1 ORDER BY seq`,
        [row.id],
      ),
    ]);
    return {
      ...this.summaryOf(row),
      data: row.data,
      cancelReason: row.cancel_reason ?? undefined,
      startedBy: row.started_by,
      steps: steps.map((s: Record<string, any>) => ({
        key: s.node_key,
        agency: s.agency,
        kind: s.kind,
        status: s.status,
        title: s.title,
        startedAt: s.started_at ?? undefined,
        dueAt: s.due_at ?? undefined,
        completedAt: s.completed_at ?? undefined,
        overdue: isPastDue(s.due_at, s.completed_at),
        attempts: s.attempts,
        outcome: s.outcome ?? undefined,
        error: s.error ?? undefined,
        warned: s.warned,
        escalated: s.escalated,
        task: s.task_id ? { id: s.task_id, status: s.task_status } : undefined,
      })),
      timeline: events.map((e: Record<string, any>) => ({
        seq: e.seq,
        at: e.at,
        type: e.type,
        step: e.node_key ?? undefined,
        detail: e.detail ?? undefined,
      })),
    };
  }

  private summaryOf(row: JourneyRow) {
    return {
      id: row.id,
      lifeEvent: { key: row.life_event_key, version: row.life_event_version, title: row.title },
      subject: { type: row.subject_type, id: row.subject_id },
      status: row.status,
      agencies: row.agencies,
      needsAttention: row.needs_attention,
      overdue: isPastDue(row.next_due_at, row.completed_at),
      nextDueAt: row.next_due_at ?? undefined,
      startedAt: row.started_at,
      completedAt: row.completed_at ?? undefined,
      updatedAt: row.updated_at,
    };
  }

  /** Keyset pagination on (started_at, id): every page is one index range scan, however deep. */
  async list(principal: Principal, q: ListJourneysQuery) {
    const where: string[] = [];
    const params: unknown[] = [];
    const add = (sql: string, value: unknown) => {
      params.push(value);
      where.push(sql.replace('?', `$${params.length}`));
    };
    if (hasRole(principal, 'auditor')) {
      // sees everything (catalog admins do not: reading personal data is the auditor's duty)
    } else if (hasRole(principal, 'caseworker') && principal.agency) {
      add('? = ANY(agencies)', principal.agency);
    } else if (hasRole(principal, 'citizen')) {
      // Their own journeys and those of whoever they hold a valid mandate for, within its life events.
      params.push(ownIds(principal));
      where.push(`(subject_id = ANY($${params.length}) OR EXISTS (SELECT 1 FROM mandates m WHERE m.holder_id = ANY($${params.length}) AND m.subject_id = journeys.subject_id AND ${mandateCoversSql('journeys.life_event_key', 'read', 'm')}))`);
    } else {
      throw forbidden('Listing journeys needs the role caseworker, citizen or auditor (catalog admins read no personal data).');
    }
    if (q.lifeEvent) add('life_event_key = ?', q.lifeEvent);
    if (q.status) add('status = ?', q.status);
    if (q.agency) add('? = ANY(agencies)', q.agency);
    if (q.subject) add('subject_id = ?', q.subject);
    if (q.needsAttention !== undefined) add('needs_attention = ?', q.needsAttention);
    if (q.overdue === true) where.push(`next_due_at < now() AND status IN ('running', 'needs_attention')`);
    if (q.overdue === false) where.push(`(next_due_at IS NULL OR next_due_at >= now() OR status NOT IN ('running', 'needs_attention'))`);
    if (q.cursor) {
      const cursor = decodeCursor(q.cursor);
      params.push(cursor.startedAt, cursor.id);
      where.push(`(started_at, id) < ($${params.length - 1}, $${params.length})`);
    }
    const limit = q.limit ?? 50;
    params.push(limit + 1);
    const rows: JourneyRow[] = await this.db.query(
      `SELECT * FROM journeys ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
        ORDER BY started_at DESC, id DESC LIMIT $${params.length}`,
      params,
    );
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return {
      items: page.map((r) => this.summaryOf(r)),
      nextCursor: rows.length > limit && last ? encodeCursor(last.started_at, last.id) : undefined,
    };
  }

  async cancel(principal: Principal, journeyId: string, reason: string) {
    const row = await this.requireActionable(principal, journeyId);
    if (!hasRole(principal, 'caseworker') && !(hasRole(principal, 'citizen') && isSubject(principal, row.subject_id))) {
      throw forbidden('Only a caseworker of an involved agency or the subject may cancel this journey.');
    }
    if (row.status === 'completed' || row.status === 'cancelled') throw conflict(`The journey is already ${row.status}.`);
    try {
      await withTimeout(
        this.temporal.client.workflow.getHandle(workflowIdOf(journeyId)).executeUpdate(cancelJourneyUpdate, { args: [{ reason, by: principal.sub }] }),
        UPDATE_TIMEOUT_MS,
      );
    } catch (err) {
      throw updateProblem(err);
    }
    await this.db.transaction(async (tx) => {
      await tx.query(`UPDATE journeys SET status = 'cancelled', cancel_reason = $2, updated_at = now() WHERE id = $1 AND status <> 'cancelled'`, [journeyId, reason]);
      await auditJourneyAction(tx, principal, 'journey.cancelled', 'journey', journeyId, { reason });
    });
    return this.get(principal, journeyId);
  }

  /** A caseworker of the step's agency retries a step that needs attention, or skips it with a reason. */
  async resolveAttention(principal: Principal, journeyId: string, nodeKey: string, action: 'retry' | 'skip', reason?: string) {
    await this.requireActionable(principal, journeyId);
    const steps: Array<{ agency: string; status: string }> = await this.db.query(
      `SELECT agency, status FROM journey_steps WHERE journey_id = $1 AND node_key = $2`,
      [journeyId, nodeKey],
    );
    if (!steps[0]) throw notFound(`Step '${nodeKey}' of journey ${journeyId}`);
    if (!(hasRole(principal, 'caseworker') && principal.agency === steps[0].agency)) {
      throw forbidden(`Only a caseworker of ${steps[0].agency} may ${action} this step.`);
    }
    try {
      await withTimeout(
        this.temporal.client.workflow
          .getHandle(workflowIdOf(journeyId))
          .executeUpdate(resolveAttentionUpdate, { args: [{ nodeKey, action, by: principal.sub, ...(reason ? { reason } : {}) }] }),
        UPDATE_TIMEOUT_MS,
      );
    } catch (err) {
      throw updateProblem(err);
    }
    // After the workflow accepted it: the audit says what was done, not what was asked.
    await auditJourneyAction(this.db, principal, action === 'retry' ? 'step.retried' : 'step.skipped', 'journey_step', `${journeyId}/${nodeKey}`, { reason: reason ?? null });
    return this.get(principal, journeyId);
  }

  private async requireActionable(principal: Principal, journeyId: string): Promise<JourneyRow> {
    const row = await this.findRow(journeyId);
    if (!row || !(await canSeeJourney(principal, { subjectId: row.subject_id, agencies: row.agencies, lifeEvent: row.life_event_key }, this.mandates))) throw notFound(`Journey ${journeyId}`);
    return row;
  }
}

/** Audits a caseworker's (or admin's, or subject's) action on a journey; the audit log is append-only. */
async function auditJourneyAction(db: { query: DataSource['query'] }, principal: Principal, action: string, targetType: string, targetId: string, detail: Record<string, unknown>) {
  await appendAudit(db, {
    actor: principal.sub,
    action,
    targetType,
    targetId,
    detail: { ...detail, roles: principal.roles, ...(principal.agency ? { agency: principal.agency } : {}) },
  });
}

/**
 * Whether a start is for someone else, with its rules (a reason, audited; a caseworker's agency in
 * the life event): a caseworker or catalog admin who is not starting for themselves as a citizen.
 */
function startsOnBehalf(p: Principal, subjectId: string): boolean {
  if (!hasRole(p, 'caseworker', 'catalog-admin')) return false;
  return !(hasRole(p, 'citizen') && isSubject(p, subjectId));
}

async function auditStartOnBehalf(tx: EntityManager, p: Principal, spec: JourneyLaunch, reason: string) {
  await tx.query(
    `INSERT INTO audit_log (actor, action, target_type, target_id, detail)
     SELECT $1, 'journey.started', 'journey', $2::varchar, $3::jsonb
      WHERE NOT EXISTS (SELECT 1 FROM audit_log WHERE target_type = 'journey' AND target_id = $2::varchar AND action = 'journey.started')`,
    [
      p.sub,
      spec.journeyId,
      JSON.stringify({
        role: hasRole(p, 'catalog-admin') ? 'catalog-admin' : 'caseworker',
        ...(p.agency ? { agency: p.agency } : {}),
        lifeEvent: { key: spec.snapshot.key, version: spec.snapshot.version },
        subject: spec.subject,
        reason,
      }),
    ],
  );
}

function encodeCursor(startedAt: Date, id: string): string {
  return Buffer.from(JSON.stringify({ s: new Date(startedAt).toISOString(), i: id })).toString('base64url');
}

function decodeCursor(cursor: string): { startedAt: string; id: string } {
  try {
    const { s, i } = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (typeof s !== 'string' || Number.isNaN(Date.parse(s)) || typeof i !== 'string' || !/^[0-9a-f-]{36}$/.test(i)) throw new Error();
    return { startedAt: s, id: i };
  } catch {
    throw new ProblemException(400, 'The cursor is not one this API gave out; pass nextCursor from the previous page unchanged.', { slug: 'invalid-cursor' });
  }
}
