import { tryEvaluateCondition, type ConditionContext } from './conditions';
import type { LifeEventSnapshot, StepState, StepStatus } from './model';

const TERMINAL: ReadonlySet<StepStatus> = new Set(['completed', 'skipped', 'cancelled']);
export const isTerminal = (status: StepStatus) => TERMINAL.has(status);

export interface Plan {
  /** Pending steps whose dependencies are done and whose condition holds: start them now. */
  start: string[];
  /** Pending steps that will not run, with the reason shown on the timeline. */
  skip: Array<{ key: string; reason: string }>;
}

/**
 * Which pending steps can start. A step is ready when every dependency is terminal. Skips do not
 * cascade (a step after a skipped optional branch still runs), but a step after a *rejected*
 * step is skipped: the outcome it builds on was refused. A condition that is false, or that cannot
 * be evaluated on the data, skips the step.
 */
export function planReadySteps(snapshot: LifeEventSnapshot, states: Record<string, StepState>, context: ConditionContext): Plan {
  const plan: Plan = { start: [], skip: [] };
  for (const node of snapshot.nodes) {
    const state = states[node.key];
    if (!state || state.status !== 'pending') continue;
    const deps = node.dependsOn ?? [];
    if (!deps.every((d) => states[d] && isTerminal(states[d].status))) continue;
    const rejected = deps.find((d) => states[d].outcome?.result === 'rejected' || states[d].status === 'cancelled');
    if (rejected) {
      plan.skip.push({ key: node.key, reason: `step '${rejected}' was ${states[rejected].status === 'cancelled' ? 'cancelled' : 'rejected'}` });
      continue;
    }
    if (node.condition !== undefined) {
      const result = tryEvaluateCondition(node.condition, context);
      if (result.error) {
        plan.skip.push({ key: node.key, reason: `its condition could not be evaluated: ${result.error}` });
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

export function isJourneyFinished(states: Record<string, StepState>): boolean {
  return Object.values(states).every((s) => isTerminal(s.status));
}
