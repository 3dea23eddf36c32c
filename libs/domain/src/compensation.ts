/**
 * Compensation: what undoes a completed step when its journey is cancelled (or its triggering
 * event annulled). Pure rules: which steps are undone and in what order, how a definition declares
 * it, and which caseworker answers a compensation accepts. The workflow does the undoing.
 */
import type { CompensationState, LifeEventSnapshot, StepState } from './model';
import type { Problem } from './problem';

const isRecord = (value: unknown): value is Record<string, unknown> => !!value && typeof value === 'object' && !Array.isArray(value);
const blank = (text: string | undefined) => !text?.trim();

/** Problems with a step's `compensation` (paths relative to the step); the endpoint follows the rules of `endpoint`. */
export function validateCompensation(compensation: unknown, checkUrl: (url: unknown, path: string) => Problem[]): Problem[] {
  if (compensation === undefined) return [];
  const shape = 'compensation must be { endpoint: "<agency endpoint>" } or { task: { titles?: { nl, fr, de, en } } }';
  if (!isRecord(compensation)) return [{ path: '/compensation', message: shape }];
  const { endpoint, task } = compensation;
  const unknown = Object.keys(compensation).filter((k) => k !== 'endpoint' && k !== 'task');
  if (unknown.length) return [{ path: `/compensation/${unknown[0]}`, message: `${shape}; remove ${unknown.join(', ')}` }];
  if ((endpoint === undefined) === (task === undefined)) {
    return [{ path: '/compensation', message: 'give exactly one way to undo the step: an endpoint the engine calls, or a caseworker task' }];
  }
  if (endpoint !== undefined) return checkUrl(endpoint, '/compensation/endpoint');
  if (!isRecord(task)) return [{ path: '/compensation/task', message: 'task must be an object, e.g. { "titles": { "nl": "Inschrijving schrappen" } } or {}' }];
  const extra = Object.keys(task).filter((k) => k !== 'titles');
  if (extra.length) return [{ path: `/compensation/task/${extra[0]}`, message: `a compensation task has only titles; remove ${extra.join(', ')}` }];
  return [];
}

/** How a declared compensation undoes its step; a payment step without one is undone by a refund. */
export function compensationWay(compensation: { endpoint?: string } | undefined, kind?: string): CompensationState['by'] | undefined {
  if (!compensation) return kind === 'payment' ? 'refund' : undefined;
  return compensation.endpoint ? 'endpoint' : 'task';
}

/**
 * The completed steps to undo, in reverse order of completion (the latest first; steps that
 * completed at the same instant: the later node of the life event first). A rejected step did
 * nothing to undo; a step already being undone is not undone again.
 */
export function stepsToCompensate(snapshot: LifeEventSnapshot, steps: Readonly<Record<string, StepState>>): string[] {
  const order = new Map(snapshot.nodes.map((n, i) => [n.key, i]));
  return snapshot.nodes
    .filter((n) => {
      const step = steps[n.key];
      // A payment step cancelled while its link was open: the link is withdrawn (or, paid meanwhile, refunded).
      const openPayment = n.definition.kind === 'payment' && step?.status === 'cancelled' && step.payment?.status === 'open';
      const done = step?.status === 'completed' && step.outcome?.result !== 'rejected';
      return (!!n.definition.compensation || n.definition.kind === 'payment') && (done || openPayment) && !step.compensation;
    })
    .map((n) => steps[n.key])
    .sort((a, b) => Date.parse(b.completedAt ?? '') - Date.parse(a.completedAt ?? '') || order.get(b.key)! - order.get(a.key)!)
    .map((s) => s.key);
}

/** A compensation a caseworker answers: a call that needs attention (retry or give up) or an open compensation task. */
export function compensationOpen(step: StepState | undefined): boolean {
  const status = step?.compensation?.status;
  return status === 'needs_attention' || status === 'waiting';
}

/** Why a retry or give-up of a compensation that needs attention is refused (giving up needs a reason). */
export function resolveCompensationError(step: StepState | undefined, decision: { nodeKey: string; action: string; reason?: string }, answered: boolean): string | undefined {
  if (!step?.compensation) return `Journey has no compensation of step '${decision.nodeKey}'.`;
  if (step.compensation.status !== 'needs_attention' || answered) return `Undoing step '${decision.nodeKey}' does not need attention (it is ${step.compensation.status}).`;
  if (decision.action !== 'retry' && decision.action !== 'skip') return `Action must be 'retry' or 'skip'.`;
  if (decision.action === 'skip' && blank(decision.reason)) return 'Giving up undoing a step needs a reason.';
  return undefined;
}

/** Why a caseworker's answer to a compensation task is refused: no open task, or held by a colleague. */
export function completeCompensationError(step: StepState | undefined, task: { nodeKey: string; outcome?: string; by?: string }): string | undefined {
  if (!step?.compensation || step.compensation.status !== 'waiting') return `The compensation task of step '${task.nodeKey}' is not open.`;
  if (step.compensation.claimedBy && task.by !== step.compensation.claimedBy) return `The task is claimed by ${step.compensation.claimedBy}; only they can complete it.`;
  if (task.outcome !== 'approve' && task.outcome !== 'reject') return `Outcome must be 'approve' (undone) or 'reject' (could not be undone).`;
  return undefined;
}

const EVENT_STATUS: Partial<Record<string, CompensationState['status']>> = {
  'step.compensating': 'running',
  'step.compensation_task_created': 'waiting',
  'step.compensated': 'done',
  'step.compensation_needs_attention': 'needs_attention',
  'step.compensation_retried': 'running',
  'step.compensation_given_up': 'given_up',
};

/**
 * Where undoing each step stands, from the journey's timeline (the read model keeps no column for
 * it): pending once the journey listed it, then as its last compensation event says.
 */
export function compensationsFromTimeline(
  events: ReadonlyArray<{ type: string; step?: string | null; detail?: Record<string, unknown> | null }>,
): Record<string, Pick<CompensationState, 'status' | 'error'>> {
  const found: Record<string, Pick<CompensationState, 'status' | 'error'>> = {};
  for (const e of events) {
    if (e.type === 'journey.compensating' && Array.isArray(e.detail?.steps)) {
      for (const key of e.detail.steps) if (typeof key === 'string') found[key] = { status: 'pending' };
      continue;
    }
    const status = EVENT_STATUS[e.type];
    if (!status || !e.step) continue;
    const error = e.type === 'step.compensation_needs_attention' && typeof e.detail?.error === 'string' ? { error: e.detail.error } : {};
    found[e.step] = { status, ...error };
  }
  return found;
}

/** Why a claim (or release) of a compensation task is refused: no open task, or held by a colleague (a release: not held by the caller). */
export function compensationClaimError(step: StepState | undefined, claim: { nodeKey: string; by: string }, release: boolean): string | undefined {
  if (!step?.compensation || step.compensation.status !== 'waiting') return `The compensation task of step '${claim.nodeKey}' is not open.`;
  const holder = step.compensation.claimedBy;
  if (release) return holder === claim.by ? undefined : 'Only the caseworker who claimed an open task can release it.';
  return holder && holder !== claim.by ? `The task is already claimed by ${holder}.` : undefined;
}
