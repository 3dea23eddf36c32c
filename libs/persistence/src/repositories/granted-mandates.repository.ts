import { randomUUID } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import type { GrantStatus, MandateAccess, SubjectType } from '@levensloop/domain';
import { queryRows } from '../query';
import { AuditLog, type AuditEntry } from './audit-log.repository';

/** One `granted_mandates` row. */
export interface GrantedMandateRow {
  id: string;
  grantor_type: SubjectType;
  grantor_id: string;
  /** Who granted it: the grantor, or the representative acting for the enterprise that grants. */
  granted_by: string;
  holder_type: SubjectType;
  holder_id: string;
  access: MandateAccess;
  life_events: string[] | null;
  valid_from: Date;
  valid_until: Date;
  reason: string;
  status: GrantStatus;
  created_at: Date;
  accepted_at: Date | null;
  revoked_at: Date | null;
  revoked_by: string | null;
  revoke_reason: string | null;
}

export type NewGrantedMandate = Pick<GrantedMandateRow, 'grantor_type' | 'grantor_id' | 'granted_by' | 'holder_type' | 'holder_id' | 'access' | 'life_events' | 'valid_from' | 'valid_until' | 'reason'>;

/**
 * The mandates people grant (the gateway's table): granted, accepted by the holder, revoked by
 * either side, each change with its audit row in one transaction. Accepted ones count through
 * the view `mandates_in_force` that `Mandates` reads.
 */
export class GrantedMandates {
  constructor(private readonly db: DataSource) {}

  /**
   * Inserts a grant (pending) with its audit row, once the caller's check of the existing grants
   * between the two passes: `check` gets them, locked (serialising two grants between the same
   * parties), and throws to refuse.
   */
  async grant(m: NewGrantedMandate, check: (existing: GrantedMandateRow[]) => void, audit: (row: GrantedMandateRow) => AuditEntry): Promise<GrantedMandateRow> {
    return this.db.transaction(async (tx) => {
      // A transaction-wide lock on the pair: two concurrent grants cannot both pass the duplicate check.
      await tx.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [`granted-mandate:${m.grantor_id}:${m.holder_id}`]);
      check(await queryRows<GrantedMandateRow>(tx, `SELECT * FROM granted_mandates WHERE grantor_id = $1 AND holder_id = $2`, [m.grantor_id, m.holder_id]));
      const [row] = await queryRows<GrantedMandateRow>(
        tx,
        `INSERT INTO granted_mandates (id, grantor_type, grantor_id, granted_by, holder_type, holder_id, access, life_events, valid_from, valid_until, reason)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING *`,
        [randomUUID(), m.grantor_type, m.grantor_id, m.granted_by, m.holder_type, m.holder_id, m.access, m.life_events, m.valid_from, m.valid_until, m.reason],
      );
      await new AuditLog(this.db).append(audit(row), tx);
      return row;
    });
  }

  async find(id: string): Promise<GrantedMandateRow | undefined> {
    if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id)) return undefined;
    const [row] = await queryRows<GrantedMandateRow>(this.db, `SELECT * FROM granted_mandates WHERE id = $1`, [id]);
    return row;
  }

  /** The grants by, to, or granted through (a representative) any of `ids`, newest first. */
  async around(ids: string[]): Promise<GrantedMandateRow[]> {
    return queryRows<GrantedMandateRow>(
      this.db,
      `SELECT * FROM granted_mandates WHERE grantor_id = ANY($1) OR holder_id = ANY($1) OR granted_by = ANY($1) ORDER BY created_at DESC, id LIMIT 500`,
      [ids],
    );
  }

  /**
   * Changes a grant's status when it still is what the caller checked (`from`), with its audit row;
   * undefined when another request changed it first (the caller reads it again and says why).
   */
  async transition(id: string, from: GrantStatus, to: 'accepted' | 'revoked', by: string, reason: string | null, audit: (row: GrantedMandateRow) => AuditEntry): Promise<GrantedMandateRow | undefined> {
    return this.db.transaction(async (tx: EntityManager) => {
      const [row] = await queryRows<GrantedMandateRow>(
        tx,
        to === 'accepted'
          ? `UPDATE granted_mandates SET status = 'accepted', accepted_at = now() WHERE id = $1 AND status = $2 RETURNING *`
          : `UPDATE granted_mandates SET status = 'revoked', revoked_at = now(), revoked_by = $3, revoke_reason = $4 WHERE id = $1 AND status = $2 RETURNING *`,
        to === 'accepted' ? [id, from] : [id, from, by, reason],
      );
      if (row) await new AuditLog(this.db).append(audit(row), tx);
      return row;
    });
  }
}
