/**
 * Steps named by agency role ("the subject's municipality"): before such a step starts, the
 * `routeStep` activity finds the agency serving the subject (the address register's municipality
 * code → the agency that serves it) and the step version it offers. The journey pins that
 * version, records who is responsible and why (`step.routed`), and the step then runs as any
 * other at that agency. An agency that does not offer the step (or no agency serving the subject)
 * makes the step need attention with a message that says so; a caseworker's retry routes again.
 * Guarded by `patched('16R-agency-role')`, asked only for a node named by role (no recorded
 * history has one).
 */
import { patched, proxyActivities } from '@temporalio/workflow';
import { isRoleReference, type StepState } from '@levensloop/domain';
import type { RoutingActivities } from '@levensloop/contracts/workflow';
import { awaitAttention, withAttention } from './attention';
import type { JourneyRun } from './journey-run';

/** A source read and a catalog lookup: retried for a while, then the step needs attention. */
const routing = proxyActivities<RoutingActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { maximumAttempts: 4, initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '10 seconds', nonRetryableErrorTypes: ['NotOffered'] },
});

/** Whether the step still waits to be routed (its node names a role and no agency was chosen yet). */
export function needsRouting(run: JourneyRun, step: StepState): boolean {
  if (run.state.routed?.[step.key]) return false;
  if (step.status !== 'pending' && step.status !== 'needs_attention') return false;
  const node = run.snapshot.nodes.find((n) => n.key === step.key);
  return !!node && isRoleReference(node.step) && patched('16R-agency-role');
}

/** Routes the step (true), or it was skipped while it needed attention (false). */
export async function routeStep(run: JourneyRun, step: StepState): Promise<boolean> {
  if (step.status === 'needs_attention') {
    await awaitAttention(run, step);
    if ((step.status as StepState['status']) !== 'running') return false;
  }
  const node = run.snapshot.nodes.find((n) => n.key === step.key)!;
  let round = 0;
  const routed = await withAttention(run, step, async () => {
    const result = await routing.routeStep({
      journeyId: run.journeyId,
      nodeKey: step.key,
      role: node.step.agencyRole!,
      stepKey: node.step.key,
      subject: run.subject,
      round: round++,
    });
    (run.state.routed ??= {})[step.key] = result;
    step.agency = result.agency;
    delete step.error;
    // A step whose routing needed attention starts afresh at its agency.
    step.status = 'pending';
    run.record('step.routed', step.key, {
      agency: result.agency,
      agencyNames: result.agencyNames,
      role: result.role,
      served: result.served,
      source: result.source,
      field: result.field,
      version: result.definition.version,
      explanation: result.explanation,
    });
  });
  return routed;
}
