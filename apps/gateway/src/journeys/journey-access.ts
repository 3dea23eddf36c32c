import { hasRole, type Principal } from '../auth/principal';

/** Answers whether a citizen is the subject or holds a valid mandate for them (see MandatesService). */
export interface MandateCheck {
  mayActFor(p: Principal, subjectId: string): Promise<boolean>;
}

/**
 * Who may see a journey: the subject themselves or whoever holds a valid mandate for them,
 * caseworkers of involved agencies, admins and auditors.
 */
export async function canSeeJourney(p: Principal, journey: { subjectId: string; agencies: string[] }, mandates: MandateCheck): Promise<boolean> {
  if (hasRole(p, 'catalog-admin', 'auditor')) return true;
  if (hasRole(p, 'caseworker') && p.agency && journey.agencies.includes(p.agency)) return true;
  if (hasRole(p, 'citizen')) return mandates.mayActFor(p, journey.subjectId);
  return false;
}

export function isSubject(p: Principal, subjectId: string): boolean {
  return subjectId === p.nationalNumber || subjectId === p.enterpriseNumber;
}
