import { informationAnswerError } from './legal-clock';
import type { JourneyStatus, StepState } from './model';

/**
 * The rules a running journey applies to the updates it is sent (complete a task, resolve
 * attention, override a decision, cancel). Each takes the journey's state and the request and
 * returns why the request is refused, or nothing when it is accepted. The workflow's update
 * validators throw the message, so a refused update never reaches the workflow's history.
 * The request shapes mirror the update inputs in `@levensloop/contracts/workflow`.
 */

/** The steps of a journey by node key. */
export type JourneySteps = Readonly<Record<string, StepState>>;

/** A caseworker's or citizen's answer to a step's task (its own task, a consent, or missing data). */
export interface TaskAnswer {
  nodeKey: string;
  /** 'approve' or 'reject' for the step's own task. */
  outcome?: string;
  purpose?: 'task' | 'consent' | 'data' | 'information';
  consents?: Record<string, unknown>;
  values?: Record<string, unknown>;
  /** Who answers: when the task is claimed, only its holder may. */
  by?: string;
  /** The answer to a request for information (and a remark on any task). */
  comment?: string;
}

/** A caseworker claims or releases a step's own task. */
export interface TaskClaim {
  nodeKey: string;
  /** Only the step's own task is claimed (consents and data are the citizen's). */
  purpose?: 'task' | 'consent' | 'data';
  by: string;
}

export interface AttentionAnswer {
  nodeKey: string;
  /** 'retry' or 'skip'. */
  action: string;
  reason?: string;
}

export interface DecisionOverride {
  nodeKey: string;
  /** 'grant' or 'deny'. */
  outcome: string;
  reason?: string;
}

export interface CancelRequest {
  reason?: string;
}

const blank = (text: string | undefined) => !text?.trim();
const hasNoValue = (value: unknown) => value === undefined || value === null || value === '';

/** Why a task answer is refused: no such step, no open task of that purpose, or answers that do not fit what was asked. */
export function completeTaskError(steps: JourneySteps, task: TaskAnswer): string | undefined {
  const step = steps[task.nodeKey];
  if (!step) return `Journey has no step '${task.nodeKey}'.`;
  const purpose = task.purpose ?? 'task';
  if ((purpose as string) === 'review' || step.waitingFor === 'review') return `The decision of step '${task.nodeKey}' is under review after an objection: review it with POST /journeys/{id}/decisions/${task.nodeKey}/objection/review.`;
  if ((purpose as string) === 'appeal' || step.waitingFor === 'appeal') return `The decision of step '${task.nodeKey}' is under appeal: decide it with POST /journeys/{id}/decisions/${task.nodeKey}/appeal/decision.`;
  if (purpose === 'task' && step.kind === 'automatic') return `Step '${task.nodeKey}' is automatic and has no task.`;
  if (step.waitingFor === 'appointment') return `Step '${task.nodeKey}' waits for the citizen to book a time: book, move or cancel it (POST /tasks/{id}/appointment).`;
  if (step.kind === 'payment') return `Step '${task.nodeKey}' is a payment: it completes when the payment provider reports it paid, not by a task.`;
  if (step.status !== 'waiting' || (step.waitingFor ?? 'task') !== purpose) {
    const which = purpose === 'task' ? 'The task' : `The ${purpose} task`;
    return `${which} of step '${task.nodeKey}' is not open (step is ${step.status}${step.waitingFor ? `, waiting for ${step.waitingFor}` : ''}).`;
  }
  if (purpose === 'consent') return consentAnswerError(step.consentAsked ?? [], task.consents ?? {});
  if (purpose === 'data') return dataAnswerError(step.asked ?? [], task.values ?? {});
  if (purpose === 'information') return informationAnswerError(task.comment);
  if (step.claimedBy && task.by !== step.claimedBy) return claimedByOther(step.claimedBy);
  if (task.outcome !== 'approve' && task.outcome !== 'reject') return `Outcome must be 'approve' or 'reject'.`;
  return undefined;
}

const claimedByOther = (holder: string) => `The task is claimed by ${holder}; only they can complete it.`;

/** Why a claim is refused: only the open task of a caseworker (or referred decision) step, not held by someone else. Claiming one's own claim again is accepted. */
export function claimTaskError(steps: JourneySteps, claim: TaskClaim): string | undefined {
  const error = caseworkerTaskError(steps, claim);
  if (error) return error;
  const holder = steps[claim.nodeKey].claimedBy;
  if (holder && holder !== claim.by) return `The task is already claimed by ${holder}.`;
  return undefined;
}

/** Why a release is refused: only the caseworker who claimed an open task releases it. */
export function releaseTaskError(steps: JourneySteps, claim: TaskClaim): string | undefined {
  const error = caseworkerTaskError(steps, claim);
  if (error) return error;
  if (steps[claim.nodeKey].claimedBy !== claim.by) return 'Only the caseworker who claimed an open task can release it.';
  return undefined;
}

/** A claim is about the open own task of a step a caseworker works (a caseworker step, or a decision referred to one). */
function caseworkerTaskError(steps: JourneySteps, claim: TaskClaim): string | undefined {
  const step = steps[claim.nodeKey];
  if (!step) return `Journey has no step '${claim.nodeKey}'.`;
  if ((claim.purpose ?? 'task') !== 'task' || (step.kind !== 'caseworker' && step.kind !== 'decision' && step.kind !== 'appointment')) return `Step '${claim.nodeKey}' has no caseworker task to claim.`;
  if (step.status !== 'waiting' || (step.waitingFor ?? 'task') !== 'task') return `The task is ${step.status === 'completed' || step.status === 'cancelled' ? step.status : 'not open'}.`;
  return undefined;
}

/** A consent answer says yes or no (a boolean) for every field asked, and for no other field. */
function consentAnswerError(asked: readonly string[], answers: Record<string, unknown>): string | undefined {
  const unknown = Object.keys(answers).filter((f) => !asked.includes(f));
  const open = asked.filter((f) => typeof answers[f] !== 'boolean');
  if (unknown.length) return `No consent was asked for ${unknown.join(', ')}.`;
  if (open.length) return `Answer yes or no for every field: ${open.join(', ')}.`;
  return undefined;
}

/** A data answer gives a value (not null, not empty) for every field asked, and for no other field. */
function dataAnswerError(asked: readonly string[], values: Record<string, unknown>): string | undefined {
  const unknown = Object.keys(values).filter((f) => !asked.includes(f));
  const open = asked.filter((f) => hasNoValue(values[f]));
  if (unknown.length) return `These fields were not asked: ${unknown.join(', ')}.`;
  if (open.length) return `Give a value for every asked field: ${open.join(', ')}.`;
  return undefined;
}

/**
 * Why a retry or skip is refused: no such step, the step does not need attention, or it was
 * already answered (`answered`: a decision the step has not taken up yet). Skipping needs a reason.
 */
export function resolveAttentionError(steps: JourneySteps, decision: AttentionAnswer, answered: boolean): string | undefined {
  const step = steps[decision.nodeKey];
  if (!step) return `Journey has no step '${decision.nodeKey}'.`;
  if (step.status !== 'needs_attention' || answered) return `Step '${decision.nodeKey}' does not need attention (it is ${step.status}).`;
  if (decision.action === 'skip' && blank(decision.reason)) return 'Skipping a step needs a reason.';
  return undefined;
}

/** Why a decision override is refused: only a final decision of a decision step, to grant or deny, with a reason. */
export function overrideDecisionError(steps: JourneySteps, request: DecisionOverride): string | undefined {
  const step = steps[request.nodeKey];
  if (!step) return `Journey has no step '${request.nodeKey}'.`;
  if (step.kind !== 'decision' || !step.decision) return `Step '${request.nodeKey}' has no decision to override.`;
  if (step.status !== 'completed') return `The decision of step '${request.nodeKey}' is not final yet (step is ${step.status}).`;
  if (request.outcome !== 'grant' && request.outcome !== 'deny') return `Outcome must be 'grant' or 'deny'.`;
  if (blank(request.reason)) return 'Overriding a decision needs a reason.';
  return undefined;
}

/** Whether a journey still runs (it may be cancelled, take tasks, get source events). */
export function isJourneyOpen(status: JourneyStatus): boolean {
  return status !== 'cancelled' && status !== 'completed' && status !== 'compensating';
}

/** Why cancelling is refused: the journey is over already, or no reason was given. */
export function cancelJourneyError(status: JourneyStatus, request: CancelRequest): string | undefined {
  if (status === 'compensating') return 'Journey is already cancelled: what its steps did is being undone.';
  if (!isJourneyOpen(status)) return `Journey is already ${status}.`;
  if (blank(request.reason)) return 'Cancelling a journey needs a reason.';
  return undefined;
}
