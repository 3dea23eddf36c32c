import { isJourneyFinished } from './planning';
import type { JourneyStatus, LifeEventSnapshot, StepState } from './model';

export function initialStepStates(snapshot: LifeEventSnapshot): Record<string, StepState> {
  return Object.fromEntries(
    snapshot.nodes.map((n) => [n.key, { key: n.key, agency: n.definition.agency, kind: n.definition.kind, status: 'pending', attempts: 0 } satisfies StepState]),
  );
}

export function journeyStatus(states: Record<string, StepState>): JourneyStatus {
  if (isJourneyFinished(states)) return 'completed';
  if (Object.values(states).some((s) => s.status === 'needs_attention')) return 'needs_attention';
  return 'running';
}

/** The earliest due date among steps still under way. */
export function nextDueAt(states: Record<string, StepState>): string | undefined {
  let next: string | undefined;
  for (const s of Object.values(states)) {
    if ((s.status === 'running' || s.status === 'waiting' || s.status === 'needs_attention') && s.dueAt && (!next || s.dueAt < next)) next = s.dueAt;
  }
  return next;
}

export function isOverdue(states: Record<string, StepState>, nowIso: string): boolean {
  const due = nextDueAt(states);
  return !!due && due < nowIso;
}
