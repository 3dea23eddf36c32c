import type { PrefilledContact } from '../entities/notification.entities';
import { queryRows } from '../query';
import type { Db } from './db';

export interface ContactPreferencesRow {
  subject_type: string;
  subject_id: string;
  language: string | null;
  channels: string[] | null;
  email: string | null;
  phone: string | null;
  postal_address: Record<string, unknown> | null;
  /** Null when the person never chose (only the register's values are known). */
  mandate_copies: boolean | null;
  /** What the register holds (`contact_prefills`, the dispatcher's), next to the person's own choices. */
  prefilled: PrefilledContact | null;
  updated_at: Date | null;
}

/** A person's own choices; left out (null): the register's value, else the default, is used. */
export interface OwnPreferences {
  subject: { type: string; id: string };
  language: string | null;
  channels: string[];
  email: string | null;
  phone: string | null;
  postalAddress: Record<string, unknown> | null;
  mandateCopies: boolean;
  by: string;
}

/**
 * A person's own choices (`contact_preferences`) next to what the register holds
 * (`contact_prefills`), one row per person known to either: what every reader of a person's
 * contact details reads. `$1` is a text[] of subject ids.
 */
export const CONTACTS_SQL = `
  SELECT p.id AS subject_id, coalesce(cp.subject_type, pf.subject_type) AS subject_type, cp.language, cp.channels, cp.email, cp.phone,
         cp.postal_address, cp.mandate_copies, pf.prefilled, cp.updated_at
    FROM unnest($1::text[]) AS p(id)
    LEFT JOIN contact_preferences cp ON cp.subject_id = p.id
    LEFT JOIN contact_prefills pf ON pf.subject_id = p.id
   WHERE cp.subject_id IS NOT NULL OR pf.subject_id IS NOT NULL`;

/**
 * Contact preferences: a person's own choices (`contact_preferences`, written here, from the
 * gateway) next to what the register holds (`contact_prefills`, written once by the dispatcher's
 * prefill; a choice never touches it).
 */
export class Preferences {
  constructor(private readonly db: Db) {}

  async find(subjectId: string): Promise<ContactPreferencesRow | undefined> {
    const rows: ContactPreferencesRow[] = await this.db.query(CONTACTS_SQL, [[subjectId]]);
    return rows[0];
  }

  /** What the register holds on the person, read in `tx` (null until the dispatcher read it). */
  async prefilledOf(tx: Db, subjectId: string): Promise<PrefilledContact | null> {
    const rows: Array<{ prefilled: PrefilledContact }> = await tx.query(`SELECT prefilled FROM contact_prefills WHERE subject_id = $1`, [subjectId]);
    return rows[0]?.prefilled ?? null;
  }

  /** Replaces the person's own choices (the register's values stay). */
  async saveOwn(tx: Db, o: OwnPreferences): Promise<ContactPreferencesRow> {
    const [saved] = await queryRows<ContactPreferencesRow>(
      tx,
      `WITH saved AS (
         INSERT INTO contact_preferences (subject_type, subject_id, language, channels, email, phone, postal_address, mandate_copies, updated_at, updated_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, now(), $9)
         ON CONFLICT (subject_id) DO UPDATE SET language = EXCLUDED.language, channels = EXCLUDED.channels, email = EXCLUDED.email,
           phone = EXCLUDED.phone, postal_address = EXCLUDED.postal_address, mandate_copies = EXCLUDED.mandate_copies,
           updated_at = now(), updated_by = EXCLUDED.updated_by
         RETURNING *)
       SELECT s.subject_type, s.subject_id, s.language, s.channels, s.email, s.phone, s.postal_address, s.mandate_copies, pf.prefilled, s.updated_at
         FROM saved s LEFT JOIN contact_prefills pf ON pf.subject_id = s.subject_id`,
      [o.subject.type, o.subject.id, o.language, o.channels, o.email, o.phone, o.postalAddress ? JSON.stringify(o.postalAddress) : null, o.mandateCopies, o.by],
    );
    return saved;
  }

  /**
   * What the register holds (the dispatcher's fact, once per person; a person's own choices never
   * touch it): stored unless it was stored before.
   */
  async storePrefilled(subjectType: string, subjectId: string, prefilled: PrefilledContact): Promise<void> {
    await this.db.query(
      `INSERT INTO contact_prefills (subject_type, subject_id, prefilled) VALUES ($1, $2, $3) ON CONFLICT (subject_id) DO NOTHING`,
      [subjectType, subjectId, JSON.stringify(prefilled)],
    );
  }
}
