import { queryRows } from '@levensloop/persistence';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { completeTaskUpdate } from '@levensloop/contracts/workflow';
import { isPastDue } from '../common/due';
import { conflict, forbidden, notFound } from '../common/problem';
import { hasRole, type Principal } from '../auth/principal';
import { TemporalService } from '../temporal/temporal.provider';
import { MandatesService, ownIds, VALID_MANDATE_SQL } from '../mandates/mandates.service';
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
  data: Record<string, unknown> | null;
  comment: string | null;
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
      // Their own tasks and those of whoever they hold a valid mandate for.
      params.push(ownIds(principal));
      where.push(`assignee = 'citizen' AND (subject_id = ANY($${params.length}) OR subject_id IN (SELECT subject_id FROM mandates WHERE holder_id = ANY($${params.length}) AND ${VALID_MANDATE_SQL}))`);
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
    } else if (!(await this.mandates.mayActFor(principal, task.subject_id))) {
      throw forbidden('Only the citizen the journey is about, or who holds a mandate for them, can complete this task.');
    }
    if (task.status === 'completed' || task.status === 'cancelled') throw conflict(`The task is already ${task.status}.`);
    try {
      await withTimeout(
        this.temporal.client.workflow.getHandle(workflowIdOf(task.journey_id)).executeUpdate(completeTaskUpdate, {
          args: [{ nodeKey: task.node_key, outcome: dto.outcome, by: principal.sub, ...(dto.data ? { data: dto.data } : {}), ...(dto.comment ? { comment: dto.comment } : {}) }],
        }),
        20_000,
      );
    } catch (err) {
      throw updateProblem(err);
    }
    const rows: TaskRow[] = await queryRows(this.db, `UPDATE tasks SET status = 'completed', completed_at = now(), completed_by = $2, outcome = $3, data = $4, comment = $5
        WHERE id = $1 AND status IN ('open', 'claimed') RETURNING *`,
      [taskId, principal.sub, dto.outcome, dto.data ? JSON.stringify(dto.data) : null, dto.comment ?? null],
    );
    return toTask(rows[0] ?? (await this.requireTask(principal, taskId)));
  }

  private async requireTask(principal: Principal, taskId: string): Promise<TaskRow> {
    const rows: TaskRow[] = await this.db.query(`SELECT * FROM tasks WHERE id = $1`, [taskId]);
    const task = rows[0];
    const visible =
      task &&
      (hasRole(principal, 'catalog-admin', 'auditor') ||
        (task.assignee === 'caseworker' && hasRole(principal, 'caseworker') && principal.agency === task.agency) ||
        (task.assignee === 'citizen' && (await this.mandates.mayActFor(principal, task.subject_id))));
    if (!visible) {
      if (task && hasRole(principal, 'caseworker')) throw forbidden(`This task belongs to ${task.agency}; you work for ${principal.agency}.`);
      throw notFound(`Task ${taskId}`);
    }
    return task;
  }

  private requireCaseworker(principal: Principal, task: TaskRow) {
    if (task.assignee !== 'caseworker') throw conflict('This task is for the citizen; caseworkers cannot claim it.');
    if (!hasRole(principal, 'caseworker') || principal.agency !== task.agency) {
      throw forbidden(`This task belongs to ${task.agency}.`);
    }
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
    data: t.data ?? undefined,
    comment: t.comment ?? undefined,
  };
}
