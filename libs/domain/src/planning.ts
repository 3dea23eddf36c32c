import { stepsContext, tryEvaluateCondition, type ConditionContext } from './conditions';
import type { LifeEventSnapshot, StepState, StepStatus } from './model';

export { topologicalOrder } from './graph';

export const TERMINAL_STEP_STATUSES: readonly StepStatus[] = ['completed', 'skipped', 'cancelled'];
const TERMINAL: ReadonlySet<StepStatus> = new Set(TERMINAL_STEP_STATUSES);
/** A terminal step will not change any more: completed, skipped or cancelled. */
export const isTerminal = (status: StepStatus): boolean => TERMINAL.has(status);

export interface Plan {
  /** Pending steps whose dependencies are done and whose condition holds: start them now. */
  start: string[];
  /** Pending steps that will not run, with the reason for the timeline. */
  skip: Array<{ key: string; reason: string; /** set when the condition could not be evaluated */ error?: string }>;
}

/** The condition context; `steps` is derived from the step states when left out. */
export type PlanningContext = Omit<ConditionContext, 'steps'> & { steps?: ConditionContext['steps'] };

/**
 * Which pending steps to start or skip now. Pure and deterministic: the result follows the
 * snapshot's node order. Call it again after every state change until it returns nothing.
 *
 * A pending step is decided once every dependency is terminal. Then:
 * - Skips do not cascade: a step after a skipped step (condition false, or skipped by a
 *   caseworker) still runs, subject to its own condition.
 * - Rejections do: if a dependency ended with `outcome.result === 'rejected'` (or was cancelled)
 *   the step is skipped ("dependency 'x' was rejected"), and so is everything further down that
 *   was skipped for that reason. An `optional` step's rejection does not block, as optional steps
 *   never block the journey.
 * - Otherwise a condition that is false skips the step; one that cannot be evaluated skips it
 *   too, with the error (so the journey moves on and a caseworker can see why).
 */
export function planReadySteps(snapshot: LifeEventSnapshot, states: Record<string, StepState>, context: PlanningContext): Plan {
  const plan: Plan = { start: [], skip: [] };
  const nodes = new Map(snapshot.nodes.map((n) => [n.key, n]));
  const conditionContext: ConditionContext = { data: context.data, subject: context.subject, steps: context.steps ?? stepsContext(states) };

  /** The rejected (or cancelled) step that keeps `key` and what follows it from running, if any. */
  const blockers = new Map<string, { key: string; what: 'rejected' | 'cancelled' } | null>();
  const blockerOf = (key: string): { key: string; what: 'rejected' | 'cancelled' } | null => {
    if (blockers.has(key)) return blockers.get(key)!;
    blockers.set(key, null); // guards against a cyclic snapshot
    const state = states[key];
    const optional = nodes.get(key)?.optional === true;
    let found: { key: string; what: 'rejected' | 'cancelled' } | null = null;
    if (state?.status === 'completed' && state.outcome?.result === 'rejected' && !optional) found = { key, what: 'rejected' };
    else if (state?.status === 'cancelled' && !optional) found = { key, what: 'cancelled' };
    else if (state?.status === 'skipped') {
      for (const dep of nodes.get(key)?.dependsOn ?? []) {
        found = blockerOf(dep);
        if (found) break;
      }
    }
    blockers.set(key, found);
    return found;
  };

  for (const node of snapshot.nodes) {
    if (states[node.key]?.status !== 'pending') continue;
    const deps = node.dependsOn ?? [];
    if (!deps.every((d) => states[d] !== undefined && isTerminal(states[d].status))) continue;

    let blocked: string | undefined;
    for (const dep of deps) {
      const blocker = blockerOf(dep);
      if (!blocker) continue;
      blocked = blocker.key === dep ? `dependency '${dep}' was ${blocker.what}` : `dependency '${dep}' did not run because '${blocker.key}' was ${blocker.what}`;
      break;
    }
    if (blocked) {
      plan.skip.push({ key: node.key, reason: blocked });
      continue;
    }
    if (node.condition !== undefined) {
      const result = tryEvaluateCondition(node.condition, conditionContext);
      if (result.error) {
        plan.skip.push({ key: node.key, reason: `its condition could not be evaluated: ${result.error}`, error: result.error });
        continue;
      }
      if (!result.value) {
        plan.skip.push({ key: node.key, reason: 'its condition does not hold for this journey' });
        continue;
      }
    }
    plan.start.push(node.key);
  }
  return plan;
}

/** True when every step is terminal (completed, skipped or cancelled); true for no steps. */
export function isJourneyFinished(states: Record<string, StepState>): boolean {
  return Object.values(states).every((s) => isTerminal(s.status));
}
