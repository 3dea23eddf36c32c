import type { DataSource } from 'typeorm';
import type { InformationRequest, LegalClock } from '@levensloop/domain';
import { preparedRows, queryRows } from '../query';
import { Mandates } from './mandates.repository';
import { PROJECT_JOURNEY_SQL } from './journey-projection.sql';
import { waitForProjected, type JourneyChanges } from './journey-changes';

/** One `journeys` row. */
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

/** A step of a journey as the read model shows it, with its open task (if any). */
export interface JourneyStepRow {
  node_key: string;
  agency: string;
  kind: string;
  status: string;
  title: Record<string, string>;
  started_at: Date | null;
  due_at: Date | null;
  completed_at: Date | null;
  attempts: number;
  outcome: Record<string, unknown> | null;
  error: string | null;
  warned: boolean;
  escalated: boolean;
  task_id: string | null;
  task_status: string | null;
  /** The legal clock (suspended since, suspended in all, the extension) and a request for information, as the workflow keeps them. */
  legal_clock: LegalClock | null;
  information: InformationRequest | null;
}

export interface JourneyEventRow {
  seq: number;
  at: Date;
  type: string;
  node_key: string | null;
  detail: Record<string, unknown> | null;
}

/** What a list of journeys is narrowed to: whose journeys a reader may see, then the query's filters. */
export interface JourneyFilter {
  visible: { all: true } | { agency: string } | { subjectOrHolder: string[] };
  lifeEvent?: string;
  status?: string;
  agency?: string;
  subject?: string;
  needsAttention?: boolean;
  overdue?: boolean;
  /** Keyset pagination: rows strictly before this (started_at, id). */
  before?: { startedAt: string; id: string };
  limit: number;
}

/** The projection's parameters, in the order of the statement (see journey-projection.sql.ts). */
export type JourneyProjectionParams = [string, string, boolean, string | null, string | null, string | null, number, string, string, string | null, string, string, string | null, string[] | null];

const OPEN = `status IN ('running', 'needs_attention')`;

/**
 * The read model of journeys (`journeys`, `journey_steps`, `journey_events` and the tasks the
 * projection opens and closes). Only the journey projection (libs/journeys) writes it, through
 * `project`; everyone else reads.
 */
export class JourneyReadModel {
  /** `changes`: wake waiters on the projection's notifications instead of polling (a process that waits for many journeys at once). */
  constructor(
    private readonly db: DataSource,
    private readonly changes?: JourneyChanges,
  ) {}

  /** Applies a projection; `applied` 0 when it was already applied (or a newer one), `known` 0 when the journey has no row. */
  async project(params: JourneyProjectionParams): Promise<{ applied: number; known: number }> {
    const [row] = await preparedRows<{ applied: number; known: number }>(this.db, 'levensloop-journey-projection-v7', PROJECT_JOURNEY_SQL, params);
    return row;
  }

  /** One round trip: whether the journey id is taken, and which version of a life event is published. */
  async startProbe(journeyId: string, lifeEventKey: string, version: number | null): Promise<{ replay: boolean; published: number | null }> {
    const [probe] = await preparedRows<{ replay: boolean; published: number | null }>(
      this.db,
      'levensloop-journey-start-probe',
      `SELECT EXISTS (SELECT 1 FROM journeys WHERE id = $1) AS replay,
              (SELECT max(version) FROM life_events WHERE key = $2 AND status = 'published' AND ($3::int IS NULL OR version = $3)) AS published`,
      [journeyId, lifeEventKey, version],
    );
    return probe;
  }

  async publishedVersion(lifeEventKey: string, version?: number): Promise<number | null> {
    const [{ published }] = await queryRows<{ published: number | null }>(
      this.db,
      `SELECT max(version) AS published FROM life_events WHERE key = $1 AND status = 'published' AND ($2::int IS NULL OR version = $2)`,
      [lifeEventKey, version ?? null],
    );
    return published;
  }

  async find(journeyId: string): Promise<JourneyRow | undefined> {
    if (!/^[0-9a-f-]{36}$/i.test(journeyId)) return undefined;
    const [row] = await preparedRows<JourneyRow>(this.db, 'levensloop-journey-find', `SELECT * FROM journeys WHERE id = $1`, [journeyId]);
    return row;
  }

  /**
   * Waits until the projection has written the journey (and `until` holds for it): the workflow
   * projects right after it starts or changes, so this is a few short polls. Undefined after `timeoutMs`.
   */
  async waitFor(journeyId: string, until: (row: JourneyRow) => boolean = () => true, timeoutMs = 10_000): Promise<JourneyRow | undefined> {
    return waitForProjected(this.changes, journeyId, () => this.find(journeyId), until, timeoutMs);
  }

  /** The steps in the order of the life event's nodes (the version the journey is pinned to; unknown ones last), and the timeline. */
  async stepsAndTimeline(row: Pick<JourneyRow, 'id' | 'life_event_key' | 'life_event_version'>): Promise<{ steps: JourneyStepRow[]; events: JourneyEventRow[] }> {
    const [steps, events] = await Promise.all([
      queryRows<JourneyStepRow>(
        this.db,
        `WITH node_order AS (
           SELECT n.node->>'key' AS node_key, n.position
             FROM life_events le CROSS JOIN LATERAL jsonb_array_elements(le.definition->'nodes') WITH ORDINALITY AS n(node, position)
            WHERE le.key = $2 AND le.version = $3
         )
         SELECT s.node_key, s.agency, s.kind, s.status, s.title, s.started_at, s.due_at, s.completed_at,
                s.attempts, s.outcome, s.error, s.warned, s.escalated, t.id AS task_id, t.status AS task_status,
                s.legal_clock, s.information
           FROM journey_steps s
           -- One task per step: the open one (a request for information or a review before the step's own), else its own.
           -- A step's compensation task (its journey cancelled) is in the agency's inbox, not on the step's row.
           LEFT JOIN LATERAL (
             SELECT t.id, t.status FROM tasks t
              WHERE t.journey_id = s.journey_id AND t.node_key = s.node_key AND t.purpose <> 'compensation'
              ORDER BY t.status IN ('open', 'claimed') DESC, t.purpose IN ('information', 'review') DESC, t.purpose = 'task' DESC, t.created_at DESC
              LIMIT 1
           ) t ON true
           LEFT JOIN node_order o ON o.node_key = s.node_key
          WHERE s.journey_id = $1
          ORDER BY o.position NULLS LAST, s.node_key`,
        [row.id, row.life_event_key, row.life_event_version],
      ),
      queryRows<JourneyEventRow>(this.db, `SELECT seq, at, type, node_key, detail FROM journey_events WHERE journey_id = $1 ORDER BY seq`, [row.id]),
    ]);
    return { steps, events };
  }

  async stepOf(journeyId: string, nodeKey: string): Promise<{ agency: string; status: string } | undefined> {
    const [step] = await queryRows<{ agency: string; status: string }>(this.db, `SELECT agency, status FROM journey_steps WHERE journey_id = $1 AND node_key = $2`, [journeyId, nodeKey]);
    return step;
  }

  /** Keyset pagination on (started_at, id): every page is one index range scan, however deep. */
  async list(f: JourneyFilter): Promise<JourneyRow[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    const add = (sql: string, value: unknown) => {
      params.push(value);
      where.push(sql.replaceAll('?', `$${params.length}`));
    };
    if ('agency' in f.visible) add('? = ANY(agencies)', f.visible.agency);
    if ('subjectOrHolder' in f.visible) {
      // Their own journeys and those of whoever they hold a valid mandate for, within its life events.
      add(`(subject_id = ANY(?) OR EXISTS (SELECT 1 FROM mandates_in_force m WHERE m.holder_id = ANY(?) AND m.subject_id = journeys.subject_id AND ${Mandates.coversSql('journeys.life_event_key', 'read', 'm')}))`, f.visible.subjectOrHolder);
    }
    if (f.lifeEvent) add('life_event_key = ?', f.lifeEvent);
    if (f.status) add('status = ?', f.status);
    if (f.agency) add('? = ANY(agencies)', f.agency);
    if (f.subject) add('subject_id = ?', f.subject);
    if (f.needsAttention !== undefined) add('needs_attention = ?', f.needsAttention);
    if (f.overdue === true) where.push(`next_due_at < now() AND ${OPEN}`);
    if (f.overdue === false) where.push(`(next_due_at IS NULL OR next_due_at >= now() OR status NOT IN ('running', 'needs_attention'))`);
    if (f.before) {
      params.push(f.before.startedAt, f.before.id);
      where.push(`(started_at, id) < ($${params.length - 1}, $${params.length})`);
    }
    params.push(f.limit);
    return queryRows<JourneyRow>(this.db, `SELECT * FROM journeys ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY started_at DESC, id DESC LIMIT $${params.length}`, params);
  }

  /** A subject's open journeys, oldest first. */
  async openOf(subjectId: string): Promise<string[]> {
    const rows = await queryRows<{ id: string }>(this.db, `SELECT id FROM journeys WHERE subject_id = $1 AND ${OPEN} ORDER BY started_at`, [subjectId]);
    return rows.map((r) => r.id);
  }

  /** A subject's open journeys that a source event of this source and type started. */
  async openStartedBy(subjectId: string, source: string, type: string): Promise<string[]> {
    const rows = await queryRows<{ id: string }>(
      this.db,
      `SELECT id FROM journeys WHERE subject_id = $1 AND source_event->>'source' = $2 AND source_event->>'type' = $3 AND ${OPEN}`,
      [subjectId, source, type],
    );
    return rows.map((r) => r.id);
  }
}
