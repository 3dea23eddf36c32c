import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { hasRole, type Principal } from '../auth/principal';

/** A mandate counts while it runs: started, and not (yet) ended. */
export const VALID_MANDATE_SQL = `valid_from <= now() AND (valid_until IS NULL OR valid_until > now())`;

export interface MandateView {
  holderId: string;
  subject: { type: string; id: string };
  kind: string;
  source: string;
  validFrom: Date;
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
 * mandates; caseworkers, admins and auditors have their own rules of access.
 */
@Injectable()
export class MandatesService {
  constructor(private readonly db: DataSource) {}

  /** True when the principal is the subject or holds a valid mandate for them. */
  async mayActFor(p: Principal, subjectId: string): Promise<boolean> {
    if (!hasRole(p, 'citizen')) return false;
    const ids = ownIds(p);
    if (ids.includes(subjectId)) return true;
    if (ids.length === 0) return false;
    const rows: unknown[] = await this.db.query(
      `SELECT 1 FROM mandates WHERE holder_id = ANY($1) AND subject_id = $2 AND ${VALID_MANDATE_SQL} LIMIT 1`,
      [ids, subjectId],
    );
    return rows.length > 0;
  }

  /** Every subject the principal may act for, with how: self first, then mandates. */
  async subjectsFor(p: Principal): Promise<Map<string, SubjectRelation>> {
    const result = new Map<string, SubjectRelation>();
    if (!hasRole(p, 'citizen')) return result;
    const ids = ownIds(p);
    for (const id of ids) result.set(id, { relation: 'self' });
    if (ids.length === 0) return result;
    const rows: Array<{ subject_id: string; kinds: string[] }> = await this.db.query(
      `SELECT subject_id, array_agg(DISTINCT kind ORDER BY kind) AS kinds FROM mandates
        WHERE holder_id = ANY($1) AND ${VALID_MANDATE_SQL} GROUP BY subject_id`,
      [ids],
    );
    for (const r of rows) if (!result.has(r.subject_id)) result.set(r.subject_id, { relation: 'mandate', kinds: r.kinds });
    return result;
  }

  /** The mandates a citizen holds, and those others hold over them (so they know who acts for them). */
  async list(p: Principal): Promise<{ held: MandateView[]; heldOverMe: MandateView[] }> {
    const ids = ownIds(p);
    if (ids.length === 0) return { held: [], heldOverMe: [] };
    const rows: Array<Record<string, any>> = await this.db.query(
      `SELECT *, holder_id = ANY($1) AS mine FROM mandates
        WHERE (holder_id = ANY($1) OR subject_id = ANY($1)) AND ${VALID_MANDATE_SQL}
        ORDER BY valid_from DESC, subject_id, kind`,
      [ids],
    );
    const view = (r: Record<string, any>): MandateView => ({
      holderId: r.holder_id,
      subject: { type: r.subject_type, id: r.subject_id },
      kind: r.kind,
      source: r.source,
      validFrom: r.valid_from,
      ...(r.valid_until ? { validUntil: r.valid_until } : {}),
    });
    return { held: rows.filter((r) => r.mine).map(view), heldOverMe: rows.filter((r) => !r.mine).map(view) };
  }
}
