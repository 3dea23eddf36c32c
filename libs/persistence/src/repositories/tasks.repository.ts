import type { TaskStatus } from '../entities/journey.entities';
import type { Db } from './db';
import { waitForProjected, type JourneyChanges } from './journey-changes';
import { Mandates } from './mandates.repository';

export interface TaskRow {
  id: string;
  journey_id: string;
  node_key: string;
  agency: string;
  assignee: 'caseworker' | 'citizen';
  subject_type: string;
  subject_id: string;
  status: TaskStatus;
  title: Record<string, string>;
  claimed_by: string | null;
  /** The team queue the task is in (null: the whole agency's). */
  team: string | null;
  due_at: Date | null;
  created_at: Date;
  completed_at: Date | null;
  completed_by: string | null;
  outcome: string | null;
  purpose: 'task' | 'consent' | 'data' | 'information' | 'compensation' | 'appointment';
  fields: string[] | null;
  data: Record<string, unknown> | null;
  comment: string | null;
  /** The journey's life event (read with the task for mandate scopes; absent on rows a write returns). */
  life_event_key?: string | null;
}

/**
 * Whose inbox: an agency's (a caseworker's: with `teams`, only tasks of no team, of those teams, or
 * held by `member`; a supervisor's: all of them), or a citizen's own tasks and those of whom they
 * hold a mandate for.
 */
export type TaskInbox = { agency: string; teams?: string[]; member?: string } | { citizenIds: string[] };

export interface TaskListFilter {
  inbox: TaskInbox;
  /** all; open: open or claimed; mine: claimed by `claimedBy`; overdue: open or claimed and past due; escalated: open or claimed, its step escalated. */
  view: 'all' | 'open' | 'mine' | 'overdue' | 'escalated';
  claimedBy?: string;
}

/**
 * Tasks as the gateway reads them. Only the journey projection writes them (see
 * journey-projection.sql.ts): claims, releases and answers go to the journey workflow, and the
 * gateway waits here for the projection to show them.
 */
export class Tasks {
  /** `changes`: wake waiters on the projection's notifications instead of polling. */
  constructor(
    private readonly db: Db,
    private readonly changes?: JourneyChanges,
  ) {}

  /** At most 500, the earliest due first. */
  async list(f: TaskListFilter): Promise<TaskRow[]> {
    const params: unknown[] = [];
    const p = (value: unknown) => `$${params.push(value)}`;
    const where: string[] = [];
    if ('agency' in f.inbox) {
      where.push(`assignee = 'caseworker' AND agency = ${p(f.inbox.agency)}`);
      // A caseworker's queue: the agency's tasks of no team, their teams' tasks, and what they hold.
      if (f.inbox.teams) where.push(`(team IS NULL OR team = ANY(${p(f.inbox.teams)}) OR claimed_by = ${p(f.inbox.member ?? '')})`);
    } else {
      // Their own tasks and those of whoever they hold a valid mandate for, within its life events.
      const ids = p(f.inbox.citizenIds);
      where.push(`assignee = 'citizen' AND (subject_id = ANY(${ids}) OR EXISTS (
        SELECT 1 FROM mandates_in_force m JOIN journeys j ON j.id = tasks.journey_id
         WHERE m.holder_id = ANY(${ids}) AND m.subject_id = tasks.subject_id AND ${Mandates.coversSql('j.life_event_key', 'read', 'm')}))`);
    }
    if (f.view === 'open') where.push(`status IN ('open', 'claimed')`);
    if (f.view === 'mine') where.push(`status = 'claimed' AND claimed_by = ${p(f.claimedBy)}`);
    // A step whose legal clock stands still (it waits on the citizen) is not overdue meanwhile.
    if (f.view === 'overdue') {
      where.push(`status IN ('open', 'claimed') AND due_at < now()
        AND NOT EXISTS (SELECT 1 FROM journey_steps s WHERE s.journey_id = tasks.journey_id AND s.node_key = tasks.node_key AND s.legal_clock ? 'suspendedAt')`);
    }
    if (f.view === 'escalated') {
      where.push(`status IN ('open', 'claimed') AND EXISTS (SELECT 1 FROM journey_steps s WHERE s.journey_id = tasks.journey_id AND s.node_key = tasks.node_key AND s.escalated)`);
    }
    return this.db.query(`SELECT * FROM tasks WHERE ${where.join(' AND ')} ORDER BY due_at ASC NULLS LAST, created_at ASC LIMIT 500`, params);
  }

  /** The task with its journey's life event. */
  async find(taskId: string): Promise<TaskRow | undefined> {
    const rows: TaskRow[] = await this.db.query(`SELECT t.*, j.life_event_key FROM tasks t LEFT JOIN journeys j ON j.id = t.journey_id WHERE t.id = $1`, [taskId]);
    return rows[0];
  }

  /**
   * Waits until the task's row satisfies `until` (the projection writes it right after the
   * workflow accepted a change), woken by the projection's notice for its journey when `changes`
   * is given. The row as it is after `timeoutMs` otherwise.
   */
  async waitFor(task: { id: string; journeyId: string }, until: (row: TaskRow) => boolean, timeoutMs = 10_000): Promise<TaskRow | undefined> {
    return (await waitForProjected(this.changes, task.journeyId, () => this.find(task.id), until, timeoutMs)) ?? (await this.find(task.id));
  }

}
