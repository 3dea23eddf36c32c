/**
 * Teams and supervisors: a caseworker step may send its task to a team's queue (`team` on the
 * step), a caseworker sees the tasks of their teams and the agency's tasks of no team, and a
 * supervisor of the agency hears of escalations and reassigns a task to a caseworker or a team.
 * Pure rules; the workflow validates reassignments with them, the gateway decides access.
 */
import type { Problem } from './problem';
import type { JourneySteps } from './journey-updates';
import type { StepKind, StepState } from './model';

/** A team code: lowercase letters, digits and hyphens, 2 to 64 characters, starting and ending with a letter or digit. */
export const TEAM_CODE = /^[a-z0-9][a-z0-9-]{0,62}[a-z0-9]$/;
const TEAM_RULE = 'is lowercase letters, digits and hyphens, 2 to 64 characters, e.g. "intake-ghent"';

/** The kinds whose task a caseworker works (a decision's when its rule refers it): only those have a team queue. */
export const TEAM_STEP_KINDS: readonly StepKind[] = ['caseworker', 'decision'];

export const isTeamCode = (value: unknown): value is string => typeof value === 'string' && TEAM_CODE.test(value);

/** Problems with a step's `team`: absent, or a team code on a step whose task a caseworker works. */
export function teamProblems(def: { kind?: unknown; team?: unknown }): Problem[] {
  if (def.team === undefined) return [];
  if (!isTeamCode(def.team)) return [{ path: '/team', message: `the team ${JSON.stringify(def.team)} is not valid: a team code ${TEAM_RULE}` }];
  if (!TEAM_STEP_KINDS.includes(def.kind as StepKind)) {
    return [{ path: '/team', message: `only caseworker and decision steps have a caseworker task for a team's queue; remove the team from this ${String(def.kind)} step` }];
  }
  return [];
}

/** A supervisor moves a step's caseworker task to one caseworker (who then holds it) or to a team's queue (unclaimed). */
export interface TaskReassignment {
  nodeKey: string;
  /** The caseworker (their subject) who gets the task; or */
  caseworker?: string;
  /** the team whose queue the task goes to. */
  team?: string;
  /** The supervisor. */
  by: string;
  reason?: string;
}

const blank = (text: string | undefined) => !text?.trim();

/** Why a reassignment is refused: no open caseworker task, not exactly one target, or nothing would change. */
export function reassignTaskError(steps: JourneySteps, request: TaskReassignment): string | undefined {
  const step = steps[request.nodeKey];
  if (!step) return `Journey has no step '${request.nodeKey}'.`;
  if (!TEAM_STEP_KINDS.includes(step.kind)) return `Step '${request.nodeKey}' has no caseworker task to reassign.`;
  if (step.status !== 'waiting' || (step.waitingFor ?? 'task') !== 'task') return `The task of step '${request.nodeKey}' is not open (step is ${step.status}).`;
  const toCaseworker = !blank(request.caseworker);
  const toTeam = request.team !== undefined;
  if (toCaseworker === toTeam) return 'Reassign to one caseworker or to one team, not both and not neither.';
  if (toTeam && !isTeamCode(request.team)) return `The team ${JSON.stringify(request.team)} is not valid: a team code ${TEAM_RULE}.`;
  if (toCaseworker && step.claimedBy === request.caseworker) return `The task is already with ${request.caseworker}.`;
  if (toTeam && step.team === request.team && !step.claimedBy) return `The task is already in the queue of team ${request.team}.`;
  return undefined;
}

/** What a reassignment does to the step: a caseworker holds the task; a team's queue gets it unclaimed. Returns the timeline's detail. */
export function applyReassignment(step: StepState, request: TaskReassignment): Record<string, unknown> {
  const from = { ...(step.claimedBy ? { fromCaseworker: step.claimedBy } : {}), ...(step.team ? { fromTeam: step.team } : {}) };
  if (request.team !== undefined) {
    step.team = request.team;
    step.claimedBy = null;
  } else step.claimedBy = request.caseworker!;
  const to = request.team !== undefined ? { team: request.team } : { caseworker: request.caseworker };
  return { by: request.by, ...to, ...from, ...(request.reason?.trim() ? { reason: request.reason.trim() } : {}) };
}
