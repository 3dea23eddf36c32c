import { Injectable } from '@nestjs/common';
import { Mandates, type MandateAccess, type MandateRow } from '@levensloop/persistence';
import { hasRole, type Principal } from '../auth/principal';

export type { MandateAccess } from '@levensloop/persistence';
/** When a mandate covers a life event, as SQL for statements that join mandates: the Mandates repository's one predicate. */
export const mandateCoversSql = Mandates.coversSql;

/** What a mandate is needed for: a life event (absent: regardless of life event) and a kind of access. */
export interface MandateNeed {
  lifeEvent?: string;
  access: MandateAccess;
}

export interface MandateView {
  holderId: string;
  subject: { type: string; id: string };
  kind: string;
  /** Which life events it covers ('all', or their keys) and whether the holder may act or only read. */
  scope: { lifeEvents: 'all' | string[]; access: MandateAccess };
  source: string;
  validFrom: Date;
  /** When it ends (a parent's mandate: the child's 18th birthday); absent: no end. */
  validUntil?: Date;
}

/** Whose data a reader sees: their own, or a subject they hold a valid mandate for (and which kinds). */
export type SubjectRelation = { relation: 'self' } | { relation: 'mandate'; kinds: string[] };

/** The ids a principal acts as: their national number, or the enterprise they log in for. */
export function ownIds(p: Principal): string[] {
  return [p.nationalNumber, p.enterpriseNumber].filter((id): id is string => !!id);
}

/**
 * Representation: a parent for a child, a guardian for a ward. Only citizens act through
 * mandates; caseworkers, admins and auditors have their own rules of access. A mandate gives
 * only what its scope says (its life events, read or act) and nothing once it has ended.
 */
@Injectable()
export class MandatesService {
  constructor(private readonly mandates: Mandates) {}

  /**
   * True when the principal is the subject, or holds a valid mandate for them that covers the
   * need (by default: acting, whatever the life event).
   */
  async mayActFor(p: Principal, subjectId: string, need: MandateNeed = { access: 'act' }): Promise<boolean> {
    if (!hasRole(p, 'citizen')) return false;
    const ids = ownIds(p);
    if (ids.includes(subjectId)) return true;
    if (ids.length === 0) return false;
    return this.mandates.covers(ids, subjectId, need);
  }

  /** Every subject the principal may act for (`access` 'act') or read (default), with how: self first, then mandates. */
  async subjectsFor(p: Principal, access: MandateAccess = 'read'): Promise<Map<string, SubjectRelation>> {
    const result = new Map<string, SubjectRelation>();
    if (!hasRole(p, 'citizen')) return result;
    const ids = ownIds(p);
    for (const id of ids) result.set(id, { relation: 'self' });
    if (ids.length === 0) return result;
    for (const r of await this.mandates.subjectsOf(ids, access)) if (!result.has(r.subject_id)) result.set(r.subject_id, { relation: 'mandate', kinds: r.kinds });
    return result;
  }

  /** The mandates a citizen holds, and those others hold over them (so they know who acts for them). */
  async list(p: Principal): Promise<{ held: MandateView[]; heldOverMe: MandateView[] }> {
    const ids = ownIds(p);
    if (ids.length === 0) return { held: [], heldOverMe: [] };
    const rows = await this.mandates.runningAround(ids);
    const view = (r: MandateRow): MandateView => ({
      holderId: r.holder_id,
      subject: { type: r.subject_type, id: r.subject_id },
      kind: r.kind,
      scope: { lifeEvents: r.life_events ?? 'all', access: r.access },
      source: r.source,
      validFrom: r.valid_from,
      ...(r.valid_until ? { validUntil: r.valid_until } : {}),
    });
    return { held: rows.filter((r) => r.mine).map(view), heldOverMe: rows.filter((r) => !r.mine).map(view) };
  }
}
