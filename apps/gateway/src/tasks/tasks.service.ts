import { Injectable } from '@nestjs/common';
import { claimTaskUpdate, completeTaskUpdate, reassignTaskUpdate, releaseTaskUpdate, type CompleteTaskInput } from '@levensloop/contracts/workflow';
import { taskClaimAccess, taskCompletionAccess, taskReassignAccess, taskVisibility, unknownTeamMessage } from '@levensloop/domain';
import { AgencyTeams, AuditLog, Tasks, type TaskInbox, type TaskRow } from '@levensloop/persistence';
import { SOURCE_CATALOG } from '@levensloop/sources';
import { isPastDue } from '../common/due';
import { conflict, forbidden, invalid, notFound } from '../common/problem';
import { hasRole, type Principal } from '../auth/principal';
import { AccessService } from '../access/access.service';
import { TemporalService } from '../temporal/temporal.provider';
import { ownIds } from '../mandates/mandates.service';
import { workflowIdOf } from '../journeys/journeys.service';
import { updateJourney } from '../journeys/workflow-errors';
import type { CompleteTaskDto, ListTasksQuery, ReassignTaskDto } from './task.dto';
import { accessFacts } from './task-access';
import { DocumentsService } from '../documents/documents.service';

/** How long a claim, release or completion waits for the workflow's projection before answering with the row as it is. */
const PROJECTION_WAIT_MS = 10_000;

@Injectable()
export class TasksService {
  constructor(
    private readonly tasks: Tasks,
    private readonly access: AccessService,
    private readonly temporal: TemporalService,
    private readonly auditLog: AuditLog,
    private readonly documents: DocumentsService,
    private readonly agencyTeams: AgencyTeams,
  ) {}

  async list(principal: Principal, q: ListTasksQuery) {
    const view = q.view ?? 'open';
    let inbox: TaskInbox;
    // A supervisor sees every task of the agency; a caseworker their queue (no team, their teams, what they hold).
    if (hasRole(principal, 'supervisor') && principal.agency) inbox = { agency: principal.agency };
    else if (hasRole(principal, 'caseworker') && principal.agency) inbox = { agency: principal.agency, teams: principal.teams ?? [], member: principal.sub };
    else if (hasRole(principal, 'citizen')) inbox = { citizenIds: ownIds(principal) };
    else throw forbidden('Tasks are for caseworkers and supervisors (of their agency) and citizens (their own).');
    const rows = await this.tasks.list({ inbox, view, claimedBy: principal.sub });
    return { items: rows.map(toTask) };
  }

  async get(principal: Principal, taskId: string) {
    const task = await this.requireTask(principal, taskId);
    const documents = await this.documents.ofTask(task);
    return { ...toTask(task), ...(documents ? { documents } : {}) };
  }

  /** The workflow holds the claim (two caseworkers racing: it accepts one); the row follows from its projection. */
  async claim(principal: Principal, taskId: string) {
    const task = await this.requireTask(principal, taskId);
    await this.access.resolve(principal, taskClaimAccess(principal, accessFacts(task)));
    if (task.status === 'completed' || task.status === 'cancelled') throw conflict(`The task is ${task.status}.`);
    if (task.status === 'claimed' && task.claimed_by !== principal.sub) throw conflict(`The task is already claimed by ${task.claimed_by}.`);
    await updateJourney(this.temporal.client, workflowIdOf(task.journey_id), claimTaskUpdate, { nodeKey: task.node_key, purpose: claimPurpose(task), by: principal.sub });
    return toTask(await this.projected(task, (row) => row.status === 'claimed' && row.claimed_by === principal.sub));
  }

  async release(principal: Principal, taskId: string) {
    const task = await this.requireTask(principal, taskId);
    await this.access.resolve(principal, taskClaimAccess(principal, accessFacts(task)));
    if (task.status !== 'claimed' || task.claimed_by !== principal.sub) throw conflict('Only the caseworker who claimed an open task can release it.');
    await updateJourney(this.temporal.client, workflowIdOf(task.journey_id), releaseTaskUpdate, { nodeKey: task.node_key, purpose: claimPurpose(task), by: principal.sub });
    return toTask(await this.projected(task, (row) => row.status !== 'claimed'));
  }

  /**
   * A supervisor of the task's agency moves it to a caseworker (who holds it) or to a team's queue:
   * the workflow validates and records it (its timeline), the gateway audits it once accepted.
   */
  async reassign(principal: Principal, taskId: string, dto: ReassignTaskDto) {
    const task = await this.requireTask(principal, taskId);
    await this.access.resolve(principal, taskReassignAccess(principal, task));
    if (task.status !== 'open' && task.status !== 'claimed') throw conflict(`The task is ${task.status}; only an open task is reassigned.`);
    if ((dto.caseworker === undefined) === (dto.team === undefined)) throw invalid('Reassign to one caseworker or to one team.', [{ path: '', message: 'give either caseworker or team, not both' }]);
    const target = dto.team !== undefined ? { team: dto.team } : { caseworker: dto.caseworker!.trim() };
    if ('caseworker' in target && !target.caseworker) throw invalid('Name the caseworker the task goes to.', [{ path: '/caseworker', message: 'caseworker must name someone (their user name)' }]);
    // A team the agency registered (once it has any: libs/domain/src/agency-teams.ts).
    const unknownTeam = 'team' in target ? unknownTeamMessage(task.agency, target.team, (await this.agencyTeams.list(task.agency)).map((t) => t.code)) : undefined;
    if (unknownTeam) throw invalid(`The task cannot go to team '${target.team}'.`, [{ path: '/team', message: unknownTeam }]);
    await updateJourney(this.temporal.client, workflowIdOf(task.journey_id), reassignTaskUpdate, {
      nodeKey: task.node_key,
      ...target,
      by: principal.sub,
      ...(dto.reason?.trim() ? { reason: dto.reason.trim() } : {}),
    });
    await this.auditLog.append({
      actor: principal.sub,
      action: 'task.reassigned',
      targetType: 'task',
      targetId: task.id,
      detail: { ...target, from: { caseworker: task.claimed_by, team: task.team }, ...(dto.reason?.trim() ? { reason: dto.reason.trim() } : {}) },
    });
    const arrived = (row: TaskRow) => ('team' in target ? row.team === target.team && row.status === 'open' : row.claimed_by === target.caseworker);
    return toTask(await this.projected(task, arrived));
  }

  /**
   * Completing goes through the workflow's update (which validates that the step still waits and
   * that no colleague holds the task); the projection closes the row with the answer, which the
   * caller reads once it is there. A referred decision's answer is the decision: the journey's
   * projection records it on the decision (with its audit row) in the same statement.
   */
  async complete(principal: Principal, taskId: string, dto: CompleteTaskDto) {
    const task = await this.requireTask(principal, taskId);
    await this.access.resolve(principal, taskCompletionAccess(principal, accessFacts(task)));
    if (task.status === 'completed' || task.status === 'cancelled') throw conflict(`The task is already ${task.status}.`);
    checkAnswers(task, dto);
    // The step's documents: every required one uploaded (else 422); the workflow gets their references only.
    const documents = await this.documents.forCompletion(task, { requireAll: dto.outcome !== 'reject' });
    await updateJourney(this.temporal.client, workflowIdOf(task.journey_id), completeTaskUpdate, { ...completionFor(task, dto, principal.sub), ...(documents ? { documents } : {}) });
    return toTask(await this.projected(task, (row) => row.status !== 'open' && row.status !== 'claimed'));
  }

  /** The task's row once the projection shows the change (the caller reads their own write), else as it is. */
  private async projected(task: TaskRow, until: (row: TaskRow) => boolean): Promise<TaskRow> {
    return (await this.tasks.waitFor({ id: task.id, journeyId: task.journey_id }, until, PROJECTION_WAIT_MS)) ?? task;
  }

  private async requireTask(principal: Principal, taskId: string): Promise<TaskRow> {
    const task = await this.tasks.find(taskId);
    // Task ids are guessable (journey id and node): a task one may not see answers as one that does not exist.
    if (!task || !(await this.access.resolve(principal, taskVisibility(principal, accessFacts(task))))) throw notFound(`Task ${taskId}`);
    return task;
  }
}

/** A caseworker claims a step's own task, or the task that undoes a completed step. */
const claimPurpose = (task: TaskRow) => (task.purpose === 'compensation' ? 'compensation' : 'task');

/** What the workflow's completeTask update gets: the work's outcome, or the citizen's consents or values. */
function completionFor(task: TaskRow, dto: CompleteTaskDto, by: string): CompleteTaskInput {
  const comment = dto.comment ? { comment: dto.comment } : {};
  if (task.purpose === 'compensation') return { nodeKey: task.node_key, purpose: 'compensation', outcome: dto.outcome!, by, ...comment };
  if (task.purpose === 'consent') return { nodeKey: task.node_key, purpose: 'consent', outcome: 'approve', consents: dto.consents ?? {}, by, ...comment };
  if (task.purpose === 'data') return { nodeKey: task.node_key, purpose: 'data', outcome: 'approve', values: dto.values ?? {}, by, ...comment };
  if (task.purpose === 'information') return { nodeKey: task.node_key, purpose: 'information', outcome: 'approve', by, ...comment };
  return { nodeKey: task.node_key, outcome: dto.outcome!, by, ...(dto.data ? { data: dto.data } : {}), ...comment };
}

/** A consent task needs yes/no per asked field; a data task a value of the right type per asked field. */
function checkAnswers(task: TaskRow, dto: CompleteTaskDto) {
  const asked = task.fields ?? [];
  const problems: Array<{ path: string; message: string }> = [];
  if (task.purpose === 'task' || task.purpose === 'compensation') {
    if (!dto.outcome) problems.push({ path: '/outcome', message: task.purpose === 'task' ? "outcome is required: 'approve' or 'reject'" : "outcome is required: 'approve' (undone) or 'reject' (could not be undone)" });
  } else if (task.purpose === 'information') {
    if (!dto.comment?.trim()) problems.push({ path: '/comment', message: 'comment is required: the information asked, in your own words' });
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
    team: t.team ?? undefined,
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
