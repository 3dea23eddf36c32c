import type { StepKind, StepState, WaitingFor } from './model';

/** What a task is for: the step's own work, or first a consent or missing data from the citizen. */
export type TaskPurpose = WaitingFor;

/** The task a waiting step has open, as the read model keeps it. */
export interface OpenTask {
  id: string;
  purpose: TaskPurpose;
  /** Who works it: the citizen for consents, data and citizen steps; a caseworker for caseworker steps and referred decisions. */
  assignee: Exclude<StepKind, 'decision'>;
  /** The fields asked (`source/field`): the consents or the missing data; none for the step's own work. */
  fields: string[] | null;
}

/** How the tasks a step no longer waits for are closed, and the caseworker's verdict on its own work. */
export interface ClosedTask {
  status: 'completed' | 'cancelled';
  /** For the step's own task when the step completed: approve unless it was rejected. */
  outcome: 'approve' | 'reject' | null;
}

/** Task ids derive from the journey, the step and the purpose, so every writer agrees on them. */
export function taskIdOf(journeyId: string, nodeKey: string, purpose: TaskPurpose = 'task'): string {
  return purpose === 'task' ? `${journeyId}.${nodeKey}` : `${journeyId}.${nodeKey}.${purpose}`;
}

/** The task a step opens while it waits (none when it does not wait). */
export function openTaskOf(journeyId: string, step: Pick<StepState, 'key' | 'kind' | 'status' | 'waitingFor' | 'asked' | 'consentAsked'>): OpenTask | undefined {
  if (step.status !== 'waiting') return undefined;
  const purpose = step.waitingFor ?? 'task';
  const id = taskIdOf(journeyId, step.key, purpose);
  if (purpose === 'consent') return { id, purpose, assignee: 'citizen', fields: step.consentAsked ?? null };
  if (purpose === 'data') return { id, purpose, assignee: 'citizen', fields: step.asked ?? null };
  return { id, purpose, assignee: step.kind === 'decision' ? 'caseworker' : step.kind, fields: null };
}

/** How a step's open tasks close once it moves on: cancelled when it will not run, else completed. */
export function closedTaskOf(step: Pick<StepState, 'status' | 'outcome'>): ClosedTask {
  const status = step.status === 'cancelled' || step.status === 'skipped' ? 'cancelled' : 'completed';
  return { status, outcome: step.status === 'completed' ? (step.outcome?.result === 'rejected' ? 'reject' : 'approve') : null };
}
