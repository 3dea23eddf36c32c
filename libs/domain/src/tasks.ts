import type { StepKind, StepState, TaskAnswerRecord, WaitingFor } from './model';
import { informationLapsedFlag, type InformationLapsedFlag } from './information-due';
import type { AppointmentSlot } from './appointments';

/**
 * What a task is for: the step's own work, or first a consent or missing data from the citizen;
 * or, once its journey was cancelled, undoing the completed step (a caseworker's compensation task).
 */
export type TaskPurpose = WaitingFor | 'compensation';

/** The task a waiting step has open, as the read model keeps it. */
export interface OpenTask {
  id: string;
  purpose: TaskPurpose;
  /** Who works it: the citizen for consents, data and citizen steps; a caseworker for caseworker steps and referred decisions. */
  assignee: Exclude<StepKind, 'decision' | 'appointment'>;
  /** The fields asked (`source/field`): the consents or the missing data; none for the step's own work. */
  fields: string[] | null;
  /** Who holds the step's own task (null: released); absent when the workflow never saw a claim of it. */
  claimedBy?: string | null;
  /** The team queue of the step's own task (absent: the whole agency's). */
  team?: string;
  /** When the task is due, when not the step's due date (a request for information has its own). */
  dueAt?: string;
  /** What the task row keeps while open: the question of a request for information; on the caseworker's own task, a request that lapsed unanswered. */
  data?: { question: string } | InformationLapsedFlag | { appointment: AppointmentSlot };
  /** The agency that works the task when it is not the step's (an objection's reviewing agency). */
  agency?: string;
}

/** How the tasks a step no longer waits for are closed, and the caseworker's verdict on its own work. */
export interface ClosedTask {
  status: 'completed' | 'cancelled';
  /** For the step's own task when the step completed: approve unless it was rejected. */
  outcome: 'approve' | 'reject' | null;
  /** Per purpose, who answered and what the task row keeps of the answer (absent when none was answered). */
  answers?: Partial<Record<TaskPurpose, TaskAnswerRecord>>;
}

/** Task ids derive from the journey, the step and the purpose, so every writer agrees on them. */
export function taskIdOf(journeyId: string, nodeKey: string, purpose: TaskPurpose = 'task'): string {
  return purpose === 'task' ? `${journeyId}.${nodeKey}` : `${journeyId}.${nodeKey}.${purpose}`;
}

/** The task a step opens while it waits (none when it does not wait). */
export function openTaskOf(
  journeyId: string,
  step: Pick<StepState, 'key' | 'kind' | 'status' | 'waitingFor' | 'asked' | 'consentAsked' | 'claimedBy' | 'team' | 'information' | 'compensation' | 'objection' | 'appeal'> & Partial<Pick<StepState, 'appointment'>>,
): OpenTask | undefined {
  const undoing = step.compensation;
  if (undoing?.status === 'waiting') {
    const claim = undoing.claimedBy === undefined ? {} : { claimedBy: undoing.claimedBy };
    return { id: taskIdOf(journeyId, step.key, 'compensation'), purpose: 'compensation', assignee: 'caseworker', fields: null, ...claim };
  }
  if (step.status !== 'waiting') return undefined;
  const purpose = step.waitingFor ?? 'task';
  // A payment is made at the provider's page, not in a task (the journey shows the link).
  if (purpose === 'payment') return undefined;
  const id = taskIdOf(journeyId, step.key, purpose);
  if (purpose === 'review') return { id, purpose, assignee: 'caseworker', fields: null, ...(step.objection ? { agency: step.objection.reviewingAgency } : {}) };
  if (purpose === 'appeal') return { id, purpose, assignee: 'caseworker', fields: null, ...(step.appeal ? { agency: step.appeal.agency } : {}) };
  if (purpose === 'consent') return { id, purpose, assignee: 'citizen', fields: step.consentAsked ?? null };
  if (purpose === 'data') return { id, purpose, assignee: 'citizen', fields: step.asked ?? null };
  // An appointment step: the citizen chooses a time (and may move or cancel it) until the appointment begins.
  if (purpose === 'appointment') return { id, purpose, assignee: 'citizen', fields: null };
  if (purpose === 'information') return { id, purpose, assignee: 'citizen', fields: null, ...(step.information ? { dueAt: step.information.dueAt, data: { question: step.information.question } } : {}) };
  const claim = step.claimedBy === undefined ? {} : { claimedBy: step.claimedBy };
  const team = step.team ? { team: step.team } : {};
  const lapsed = informationLapsedFlag(step.information);
  // The caseworker's record of an appointment shows which appointment it is.
  const booking = step.kind === 'appointment' ? step.appointment?.booking : undefined;
  if (booking) return { id, purpose, assignee: 'caseworker', fields: null, ...claim, ...team, data: { appointment: { start: booking.start, end: booking.end } } };
  // A decision's referral and an appointment's record (attended or no-show) are a caseworker's.
  return { id, purpose, assignee: step.kind === 'decision' || step.kind === 'appointment' ? 'caseworker' : step.kind, fields: null, ...claim, ...team, ...(lapsed ? { data: lapsed } : {}) };
}

/**
 * How a step's open tasks close once it moves on: cancelled when it will not run, else completed.
 * A completed task keeps who answered it: the step's own task its verdict, data and comment; a
 * consent or data task the summary the workflow noted when the citizen answered.
 */
export function closedTaskOf(step: Pick<StepState, 'status' | 'outcome' | 'answered' | 'compensation' | 'objection' | 'appeal'>): ClosedTask {
  const status = step.status === 'cancelled' || step.status === 'skipped' ? 'cancelled' : 'completed';
  const answers: NonNullable<ClosedTask['answers']> = {};
  if (status === 'completed') Object.assign(answers, step.answered);
  // A compensation task closes with who undid the step (or could not), and whether it is undone.
  const undoing = step.compensation;
  if (undoing?.by === 'task' && undoing.actor && (undoing.status === 'done' || undoing.status === 'given_up')) {
    answers.compensation = { by: undoing.actor, data: { undone: undoing.status === 'done' }, ...(undoing.comment ? { comment: undoing.comment } : {}) };
  }
  if (status === 'completed' && step.objection?.reviewedBy) answers.review = { by: step.objection.reviewedBy, data: { verdict: step.objection.verdict } };
  if (status === 'completed' && step.appeal?.decidedBy) answers.appeal = { by: step.appeal.decidedBy, data: { verdict: step.appeal.verdict } };
  if (step.status === 'completed' && step.outcome?.by) {
    const { by, data, comment } = step.outcome;
    answers.task = { by, ...(data ? { data } : {}), ...(comment ? { comment } : {}) };
  }
  const outcome = step.status === 'completed' ? (step.outcome?.result === 'rejected' ? 'reject' : 'approve') : null;
  return { status, outcome, ...(Object.keys(answers).length ? { answers } : {}) };
}

/**
 * What a task row keeps of a citizen's answer: the consents as given (yes or no per field), and
 * for missing data only which fields were given, never the values (they live in the step's data).
 */
export function taskAnswerSummary(purpose: 'consent' | 'data', answer: { consents?: Record<string, boolean>; values?: Record<string, unknown> }): Record<string, unknown> {
  if (purpose === 'consent') return { consents: { ...answer.consents } };
  return { given: Object.keys(answer.values ?? {}) };
}
