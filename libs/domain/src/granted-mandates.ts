import type { MandateAccess } from './mandates';
import type { SubjectType } from './model';

/**
 * Mandates people grant (a relative for themselves, an accountant for their company): the rules
 * a grant must meet, when it counts, and who may accept or revoke it. Pure: the clock is passed in.
 */

/** The longest a granted mandate may run; a longer one is granted again when it ends. */
export const GRANTED_MANDATE_MAX_YEARS = 5;
/** At most this many life events named in one grant (else: all). */
export const GRANTED_MANDATE_MAX_LIFE_EVENTS = 20;

export type GrantStatus = 'pending' | 'accepted' | 'revoked';
/** What a grant is now: waiting for its holder, scheduled (accepted, not started), active, ended (expired) or revoked. */
export type GrantState = 'pending' | 'scheduled' | 'active' | 'expired' | 'revoked';

export interface GrantParty {
  type: SubjectType;
  id: string;
}

export interface GrantRequest {
  grantor: GrantParty;
  holder: GrantParty;
  lifeEvents: 'all' | string[];
  access: MandateAccess;
  validFrom: Date;
  validUntil: Date;
}

export interface Grant extends GrantRequest {
  status: GrantStatus;
}

export interface GrantProblem {
  /** JSON pointer into the request. */
  path: string;
  message: string;
  /** Why it is refused: a field of the request (422) or a self-mandate. */
  slug: 'self-mandate' | 'invalid-dates' | 'invalid-scope';
}

/** The moment `years` after `from` (29 February → 1 March in a year without it). */
export function yearsAfter(from: Date, years: number): Date {
  const d = new Date(from.getTime());
  d.setUTCFullYear(d.getUTCFullYear() + years);
  return d;
}

/**
 * What is wrong with a grant (nothing: an empty list): no one grants to themselves, the end comes
 * after the start and after now, at most five years after the start, and the start is not in the
 * past (two days of grace, so "today" in any time zone passes).
 */
export function grantProblems(r: GrantRequest, now: Date): GrantProblem[] {
  const problems: GrantProblem[] = [];
  if (r.grantor.id === r.holder.id) problems.push({ path: '/holder/id', message: 'you cannot grant a mandate to yourself', slug: 'self-mandate' });
  const from = r.validFrom.getTime();
  const until = r.validUntil.getTime();
  if (Number.isNaN(from)) problems.push({ path: '/validFrom', message: 'must be a date', slug: 'invalid-dates' });
  if (Number.isNaN(until)) problems.push({ path: '/validUntil', message: 'must be a date', slug: 'invalid-dates' });
  if (!Number.isNaN(from) && !Number.isNaN(until)) {
    if (from < now.getTime() - 2 * 86_400_000) problems.push({ path: '/validFrom', message: 'must be today or later', slug: 'invalid-dates' });
    if (until <= from) problems.push({ path: '/validUntil', message: 'must be after the start', slug: 'invalid-dates' });
    else if (until <= now.getTime()) problems.push({ path: '/validUntil', message: 'must be in the future', slug: 'invalid-dates' });
    if (until > yearsAfter(r.validFrom, GRANTED_MANDATE_MAX_YEARS).getTime()) {
      problems.push({ path: '/validUntil', message: `must be at most ${GRANTED_MANDATE_MAX_YEARS} years after the start`, slug: 'invalid-dates' });
    }
  }
  if (r.lifeEvents !== 'all') {
    if (r.lifeEvents.length === 0) problems.push({ path: '/lifeEvents', message: "name at least one life event, or 'all'", slug: 'invalid-scope' });
    if (new Set(r.lifeEvents).size !== r.lifeEvents.length) problems.push({ path: '/lifeEvents', message: 'names a life event twice', slug: 'invalid-scope' });
    if (r.lifeEvents.length > GRANTED_MANDATE_MAX_LIFE_EVENTS) problems.push({ path: '/lifeEvents', message: `name at most ${GRANTED_MANDATE_MAX_LIFE_EVENTS} life events, or 'all'`, slug: 'invalid-scope' });
  }
  return problems;
}

/** Whether two periods [from, until) share a moment. */
export function periodsOverlap(a: { validFrom: Date; validUntil: Date }, b: { validFrom: Date; validUntil: Date }): boolean {
  return a.validFrom.getTime() < b.validUntil.getTime() && b.validFrom.getTime() < a.validUntil.getTime();
}

/** Whether two scopes share a life event ('all' shares every one). */
export function scopesOverlap(a: 'all' | string[], b: 'all' | string[]): boolean {
  if (a === 'all' || b === 'all') return true;
  return a.some((k) => b.includes(k));
}

/**
 * A duplicate: a grant of the same grantor to the same holder, not revoked and not expired, whose
 * period and life events overlap the new one's. Such a grant is revoked first, then granted again.
 */
export function isOverlappingDuplicate(asked: GrantRequest, existing: Grant, now: Date): boolean {
  const state = grantState(existing, now);
  if (state === 'revoked' || state === 'expired') return false;
  return existing.grantor.id === asked.grantor.id && existing.holder.id === asked.holder.id && periodsOverlap(asked, existing) && scopesOverlap(asked.lifeEvents, existing.lifeEvents);
}

/** What a grant is at `now`: only an accepted one in its period counts. */
export function grantState(g: Pick<Grant, 'status' | 'validFrom' | 'validUntil'>, now: Date): GrantState {
  if (g.status === 'revoked') return 'revoked';
  if (g.validUntil.getTime() <= now.getTime()) return 'expired';
  if (g.status === 'pending') return 'pending';
  return g.validFrom.getTime() > now.getTime() ? 'scheduled' : 'active';
}

/** Whether a grant lets its holder do what is asked now: accepted, in its period, the life event in scope, acting when acting is asked. */
export function grantCovers(g: Grant, need: { lifeEvent?: string; access: MandateAccess }, now: Date): boolean {
  if (grantState(g, now) !== 'active') return false;
  if (need.access === 'act' && g.access !== 'act') return false;
  return !need.lifeEvent || g.lifeEvents === 'all' || g.lifeEvents.includes(need.lifeEvent);
}

/** Why the holder cannot accept it (undefined: they can): only the holder, only while pending and not yet ended. */
export function acceptRefusal(g: Grant, byIds: string[], now: Date): { status: 403 | 409; detail: string } | undefined {
  if (!byIds.includes(g.holder.id)) return { status: 403, detail: 'Only the holder of a mandate accepts it.' };
  const state = grantState(g, now);
  if (state === 'revoked') return { status: 409, detail: 'This mandate was revoked: it can no longer be accepted.' };
  if (state === 'expired') return { status: 409, detail: 'This mandate has expired: it can no longer be accepted; ask for a new one.' };
  if (g.status === 'accepted') return { status: 409, detail: 'This mandate was already accepted.' };
  return undefined;
}

/**
 * Why it cannot be revoked (undefined: it can): either side revokes (for an enterprise that
 * grants, a representative the register confirms: `asGrantor`), once, and not after it ended.
 */
export function revokeRefusal(g: Grant, by: { ids: string[]; asGrantor: boolean }, now: Date): { status: 403 | 409; detail: string } | undefined {
  if (!by.asGrantor && !by.ids.includes(g.grantor.id) && !by.ids.includes(g.holder.id)) return { status: 403, detail: 'Only the one who granted a mandate or its holder revokes it.' };
  const state = grantState(g, now);
  if (state === 'revoked') return { status: 409, detail: 'This mandate was already revoked.' };
  if (state === 'expired') return { status: 409, detail: 'This mandate has already expired: there is nothing to revoke.' };
  return undefined;
}
