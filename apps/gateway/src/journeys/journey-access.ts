import { hasRole, type Principal } from '../auth/principal';

/** Who may see a journey: the subject themselves, caseworkers of involved agencies, admins and auditors. */
export function canSeeJourney(p: Principal, journey: { subjectId: string; agencies: string[] }): boolean {
  if (hasRole(p, 'catalog-admin', 'auditor')) return true;
  if (hasRole(p, 'caseworker') && p.agency && journey.agencies.includes(p.agency)) return true;
  if (hasRole(p, 'citizen') && isSubject(p, journey.subjectId)) return true;
  return false;
}

export function isSubject(p: Principal, subjectId: string): boolean {
  return subjectId === p.nationalNumber || subjectId === p.enterpriseNumber;
}
