import { queryRows } from '@levensloop/persistence';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { completeTaskUpdate, type CompleteTaskInput } from '@levensloop/contracts/workflow';
import { SOURCE_CATALOG } from '@levensloop/sources';
import { isPastDue } from '../common/due';
import { conflict, forbidden, invalid, notFound } from '../common/problem';
import { hasRole, type Principal } from '../auth/principal';
import { TemporalService } from '../temporal/temporal.provider';
import { mandateCoversSql, MandatesService, ownIds } from '../mandates/mandates.service';
import { workflowIdOf } from '../journeys/journeys.service';
import { updateProblem, withTimeout } from '../journeys/workflow-errors';
import type { CompleteTaskDto, ListTasksQuery } from './task.dto';

interface TaskRow {
  id: string;
  journey_id: string;
  node_key: string;
  agency: string;
  assignee: 'caseworker' | 'citizen';
  subject_type: string;
  subject_id: string;
  status: string;
  title: Record<string, string>;
  claimed_by: string | null;
  due_at: Date | null;
  created_at: Date;
  completed_at: Date | null;
  completed_by: string | null;
  outcome: string | null;
  purpose: 'task' | 'consent' | 'data';
  fields: string[] | null;
  data: Record<string, unknown> | null;
  comment: string | null;
  /** The journey's life event (read with the task for mandate scopes; absent on rows an UPDATE returns). */
  life_event_key?: string | null;
}

@Injectable()
export class TasksService {
  constructor(
    private readonly db: DataSource,
    private readonly temporal: TemporalService,
    private readonly mandates: MandatesService,
  ) {}

  async list(principal: Principal, q: ListTasksQuery) {
    const view = q.view ?? 'open';
    const params: unknown[] = [];
    const where: string[] = [];
    if (hasRole(principal, 'caseworker') && principal.agency) {
      params.push(principal.agency);
      where.push(`assignee = 'caseworker' AND agency = $${params.length}`);
    } else if (hasRole(principal, 'citizen')) {
      // Their own tasks and those of whoever they hold a valid mandate for, within its life events.
      params.push(ownIds(principal));
      where.push(`assignee = 'citizen' AND (subject_id = ANY($${params.length}) OR EXISTS (
        SELECT 1 FROM mandates m JOIN journeys j ON j.id = tasks.journey_id
         WHERE m.holder_id = ANY($${params.length}) AND m.subject_id = tasks.subject_id AND ${mandateCoversSql('j.life_event_key', 'read', 'm')}))`);
    } else {
      throw forbidden('Tasks are for caseworkers (of their agency) and citizens (their own).');
    }
    if (view === 'open') where.push(`status IN ('open', 'claimed')`);
    if (view === 'mine') {
      params.push(principal.sub);
      where.push(`status = 'claimed' AND claimed_by = $${params.length}`);
    }
    if (view === 'overdue') where.push(`status IN ('open', 'claimed') AND due_at < now()`);
    const rows: TaskRow[] = await this.db.query(
      `SELECT * FROM tasks WHERE ${where.join(' AND ')} ORDER BY due_at ASC NULLS LAST, created_at ASC LIMIT 500`,
      params,
    );
    return { items: rows.map(toTask) };
  }

  async get(principal: Principal, taskId: string) {
    return toTask(await this.requireTask(principal, taskId));
  }

  async claim(principal: Principal, taskId: string) {
    const task = await this.requireTask(principal, taskId);
    this.requireCaseworker(principal, task);
    const rows: TaskRow[] = await queryRows(this.db, `UPDATE tasks SET status = 'claimed', claimed_by = $2 WHERE id = $1 AND status = 'open' RETURNING *`,
      [taskId, principal.sub],
    );
    if (rows[0]) return toTask(rows[0]);
    const now = await this.requireTask(principal, taskId);
    if (now.status === 'claimed' && now.claimed_by === principal.sub) return toTask(now);
    throw conflict(now.status === 'claimed' ? `The task is already claimed by ${now.claimed_by}.` : `The task is ${now.status}.`);
  }

  async release(principal: Principal, taskId: string) {
    const task = await this.requireTask(principal, taskId);
    this.requireCaseworker(principal, task);
    const rows: TaskRow[] = await queryRows(this.db, `UPDATE tasks SET status = 'open', claimed_by = NULL WHERE id = $1 AND status = 'claimed' AND claimed_by = $2 RETURNING *`,
      [taskId, principal.sub],
    );
    if (!rows[0]) throw conflict('Only the caseworker who claimed an open task can release it.');
    return toTask(rows[0]);
  }

  /**
   * Completing goes through the workflow's update (which validates that the step still waits),
   * then the task row is closed at once so the caller reads its own write.
   */
  async complete(principal: Principal, taskId: string, dto: CompleteTaskDto) {
    const task = await this.requireTask(principal, taskId);
    if (task.assignee === 'caseworker') {
      this.requireCaseworker(principal, task);
      if (task.status === 'claimed' && task.claimed_by !== principal.sub) {
        throw conflict(`The task is claimed by ${task.claimed_by}; only they can complete it.`);
      }
    } else if (!(await this.mandates.mayActFor(principal, task.subject_id, { lifeEvent: task.life_event_key ?? undefined, access: 'act' }))) {
      // They see the task (requireTask), so their mandate lets them read only.
      throw forbidden('Only the citizen the journey is about, or who holds a mandate to act for them in this life event, can complete this task; a read-only mandate does not.');
    }
    if (task.status === 'completed' || task.status === 'cancelled') throw conflict(`The task is already ${task.status}.`);
    checkAnswers(task, dto);
    try {
      await withTimeout(
        this.temporal.client.workflow.getHandle(workflowIdOf(task.journey_id)).executeUpdate(completeTaskUpdate, {
          args: [completionFor(task, dto, principal.sub)],
        }),
        20_000,
      );
    } catch (err) {
      throw updateProblem(err);
    }
    if (task.purpose === 'task' && task.assignee === 'caseworker') await this.recordReferralDecision(task, dto, principal.sub);
    const rows: TaskRow[] = await queryRows(this.db, `UPDATE tasks SET status = 'completed', completed_at = now(), completed_by = $2, outcome = $3, data = $4, comment = $5
        WHERE id = $1 AND status IN ('open', 'claimed') RETURNING *`,
      [taskId, principal.sub, task.purpose === 'task' ? dto.outcome : null, answerData(task, dto), dto.comment ?? null],
    );
    return toTask(rows[0] ?? (await this.requireTask(principal, taskId)));
  }

  /**
   * A decision the rule referred to a caseworker: their approve/reject is the decision, recorded
   * on the decision (as decided by a person, with their reason) and audited, in one statement.
   */
  private async recordReferralDecision(task: TaskRow, dto: CompleteTaskDto, by: string) {
    const outcome = dto.outcome === 'approve' ? 'grant' : 'deny';
    const reason = dto.comment ?? 'Decided by a caseworker after the rule referred the case.';
    await this.db.query(
      `WITH decided AS (
         UPDATE decisions SET override_outcome = $3, override_reason = $4, overridden_by = $5, overridden_at = now()
          WHERE journey_id = $1 AND node_key = $2 AND outcome = 'refer' AND override_outcome IS NULL
         RETURNING journey_id, node_key)
       INSERT INTO audit_log (actor, action, target_type, target_id, detail)
       SELECT $5, 'decision.referral_decided', 'decision', journey_id::text || '/' || node_key, jsonb_build_object('outcome', $3::text, 'reason', $4::text)
         FROM decided`,
      [task.journey_id, task.node_key, outcome, reason, by],
    );
  }

  private async requireTask(principal: Principal, taskId: string): Promise<TaskRow> {
    const rows: TaskRow[] = await this.db.query(`SELECT t.*, j.life_event_key FROM tasks t LEFT JOIN journeys j ON j.id = t.journey_id WHERE t.id = $1`, [taskId]);
    const task = rows[0];
    const visible =
      task &&
      (hasRole(principal, 'auditor') ||
        (task.assignee === 'caseworker' && hasRole(principal, 'caseworker') && principal.agency === task.agency) ||
        (task.assignee === 'citizen' && (await this.mandates.mayActFor(principal, task.subject_id, { lifeEvent: task.life_event_key ?? undefined, access: 'read' }))));
    // Task ids are guessable (journey id and node): a task one may not see answers as one that does not exist.
    if (!visible) throw notFound(`Task ${taskId}`);
    return task;
  }

  /** Who asks is checked before what is asked: a non-caseworker learns nothing about the task's state. */
  private requireCaseworker(principal: Principal, task: TaskRow) {
    if (!hasRole(principal, 'caseworker')) throw forbidden('Only caseworkers claim, release and complete caseworker tasks.');
    if (task.assignee !== 'caseworker') throw conflict('This task is for the citizen; caseworkers cannot claim it.');
    if (principal.agency !== task.agency) throw forbidden(`This task belongs to ${task.agency}.`);
  }
}

/** What the workflow's completeTask update gets: the work's outcome, or the citizen's consents or values. */
function completionFor(task: TaskRow, dto: CompleteTaskDto, by: string): CompleteTaskInput {
  if (task.purpose === 'consent') return { nodeKey: task.node_key, purpose: 'consent', outcome: 'approve', consents: dto.consents ?? {}, by };
  if (task.purpose === 'data') return { nodeKey: task.node_key, purpose: 'data', outcome: 'approve', values: dto.values ?? {}, by };
  return { nodeKey: task.node_key, outcome: dto.outcome!, by, ...(dto.data ? { data: dto.data } : {}), ...(dto.comment ? { comment: dto.comment } : {}) };
}

/** What the task row keeps of the answer (consents, and for data tasks only which fields were given). */
function answerData(task: TaskRow, dto: CompleteTaskDto): string | null {
  if (task.purpose === 'consent') return JSON.stringify({ consents: dto.consents });
  if (task.purpose === 'data') return JSON.stringify({ given: Object.keys(dto.values ?? {}) });
  return dto.data ? JSON.stringify(dto.data) : null;
}

/** A consent task needs yes/no per asked field; a data task a value of the right type per asked field. */
function checkAnswers(task: TaskRow, dto: CompleteTaskDto) {
  const asked = task.fields ?? [];
  const problems: Array<{ path: string; message: string }> = [];
  if (task.purpose === 'task') {
    if (!dto.outcome) problems.push({ path: '/outcome', message: "outcome is required: 'approve' or 'reject'" });
  } else if (task.purpose === 'consent') {
    const answers = dto.consents ?? {};
    for (const field of asked) if (typeof answers[field] !== 'boolean') problems.push({ path: `/consents/${pointer(field)}`, message: `answer true (I consent) or false (ask me instead) for ${field}` });
    for (const field of Object.keys(answers)) if (!asked.includes(field)) problems.push({ path: `/consents/${pointer(field)}`, message: `no consent is asked for ${field}; asked: ${asked.join(', ')}` });
  } else {
    const values = dto.values ?? {};
    for (const field of asked) {
      const [source, ...path] = field.split('/');
      const type = SOURCE_CATALOG[source]?.fields[path.join('/')]?.type;
      const problem = valueProblem(values[field], type);
      if (problem) problems.push({ path: `/values/${pointer(field)}`, message: `${field} ${problem}` });
    }
    for (const field of Object.keys(values)) if (!asked.includes(field)) problems.push({ path: `/values/${pointer(field)}`, message: `${field} is not asked; asked: ${asked.join(', ')}` });
  }
  if (problems.length) throw invalid(`This ${task.purpose === 'task' ? '' : `${task.purpose} `}task needs a different answer.`, problems);
}

const pointer = (segment: string) => segment.replace(/~/g, '~0').replace(/\//g, '~1');

function valueProblem(value: unknown, type: string | undefined): string | undefined {
  if (value === undefined || value === null || value === '') return 'needs a value';
  switch (type) {
    case 'date':
      return typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value) && !Number.isNaN(Date.parse(value)) ? undefined : 'must be a date as YYYY-MM-DD';
    case 'number':
      return typeof value === 'number' && Number.isFinite(value) ? undefined : 'must be a number';
    case 'boolean':
      return typeof value === 'boolean' ? undefined : 'must be true or false';
    case 'list':
      return Array.isArray(value) && value.length <= 100 ? undefined : 'must be a list (at most 100 items)';
    case 'object':
      return value && typeof value === 'object' && !Array.isArray(value) ? undefined : 'must be an object';
    default:
      return typeof value === 'string' && value.length <= 1000 ? undefined : 'must be a text of at most 1000 characters';
  }
}

function toTask(t: TaskRow) {
  return {
    id: t.id,
    journeyId: t.journey_id,
    step: t.node_key,
    agency: t.agency,
    assignee: t.assignee,
    subject: { type: t.subject_type, id: t.subject_id },
    status: t.status,
    title: t.title,
    claimedBy: t.claimed_by ?? undefined,
    dueAt: t.due_at ?? undefined,
    overdue: isPastDue(t.due_at, t.completed_at),
    createdAt: t.created_at,
    completedAt: t.completed_at ?? undefined,
    completedBy: t.completed_by ?? undefined,
    outcome: t.outcome ?? undefined,
    purpose: t.purpose,
    ...(t.fields ? { fields: t.fields } : {}),
    data: t.data ?? undefined,
    comment: t.comment ?? undefined,
  };
}
