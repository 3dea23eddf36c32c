/**
 * The agencies of a journey whose life event names a node by agency role (libs/domain
 * agency-roles.ts), as they stand now. Such a node is stored with the role's answering agency
 * (`municipality`), a placeholder nobody delivers the step for: it counts only while a role step
 * still waits to be routed (or needs attention because it could not be), so that someone of it can
 * retry or skip the step. Once every such step is routed (or has ended unrouted), the journey
 * belongs to the agencies it went to: the generic `municipality` caseworker no longer sees every
 * citizen's journey. A node naming that agency by code keeps it, as any node's agency.
 */
import { isRoleReference, type LifeEventSnapshot, type ServiceStepDefinition, type StepState } from '@levensloop/domain';
import type { RoutedStep } from './routing';

/** Whether the life event names any node by role (only such journeys count their agencies anew). */
export const hasRoleNodes = (snapshot: LifeEventSnapshot): boolean => snapshot.nodes.some((n) => isRoleReference(n.step));

const ENDED: ReadonlySet<StepState['status']> = new Set(['completed', 'skipped', 'cancelled']);

function agenciesOf(definition: Pick<ServiceStepDefinition, 'agency' | 'objection'>): string[] {
  return [definition.agency, ...(definition.objection?.reviewingAgency ? [definition.objection.reviewingAgency] : []), ...(definition.objection?.appeal?.agency ? [definition.objection.appeal.agency] : [])];
}

/** The journey's agencies now (sorted): what the read model and `LevensloopAgencies` hold. */
export function currentJourneyAgencies(snapshot: LifeEventSnapshot, steps: Record<string, StepState>, routed: Record<string, RoutedStep> | undefined): string[] {
  const agencies = new Set<string>();
  for (const node of snapshot.nodes) {
    const step = steps[node.key];
    if (!isRoleReference(node.step)) agenciesOf(node.definition).forEach((a) => agencies.add(a));
    else if (routed?.[node.key]) agenciesOf(routed[node.key].definition).forEach((a) => agencies.add(a));
    // Not routed: the placeholder answers for the step until it ends.
    else if (!step || !ENDED.has(step.status)) agencies.add(node.definition.agency);
  }
  // Whatever agency a step runs at (the read model always counted them), but a placeholder.
  for (const step of Object.values(steps)) if (step.agency && !unrouted(snapshot, step.key, routed)) agencies.add(step.agency);
  return [...agencies].sort();
}

/** A step named by role that was not routed: its `agency` is still the placeholder. */
function unrouted(snapshot: LifeEventSnapshot, key: string, routed: Record<string, RoutedStep> | undefined): boolean {
  const node = snapshot.nodes.find((n) => n.key === key);
  return !!node && isRoleReference(node.step) && !routed?.[key];
}
