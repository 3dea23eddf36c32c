import { hasRole, type Principal } from '../auth/principal';
import type { MandateNeed } from '../mandates/mandates.service';

/** Answers whether a citizen is the subject or holds a valid mandate for them that covers a need (see MandatesService). */
export interface MandateCheck {
  mayActFor(p: Principal, subjectId: string, need?: MandateNeed): Promise<boolean>;
}

export interface JourneyAccessFacts {
  subjectId: string;
  agencies: string[];
  /** The journey's life event: a mandate limited to other life events does not reach it. */
  lifeEvent: string;
}

/**
 * Who may see a journey: the subject themselves or whoever holds a valid mandate for them that
 * covers the journey's life event, caseworkers of involved agencies, and auditors. Catalog admins
 * administer the catalog and read no one's journeys (separation of duties): that takes the
 * auditor role.
 */
export async function canSeeJourney(p: Principal, journey: JourneyAccessFacts, mandates: MandateCheck): Promise<boolean> {
  if (hasRole(p, 'auditor')) return true;
  if (hasRole(p, 'caseworker') && p.agency && journey.agencies.includes(p.agency)) return true;
  if (hasRole(p, 'citizen')) return mandates.mayActFor(p, journey.subjectId, { lifeEvent: journey.lifeEvent, access: 'read' });
  return false;
}

export function isSubject(p: Principal, subjectId: string): boolean {
  return subjectId === p.nationalNumber || subjectId === p.enterpriseNumber;
}
