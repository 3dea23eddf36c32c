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
  mandate_copies: boolean;
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
 * Contact preferences: a person's own choices (written here, from the gateway) next to what the
 * register holds (`prefilled`, written by the dispatcher's prefill, which a choice never touches).
 */
export class Preferences {
  constructor(private readonly db: Db) {}

  async find(subjectId: string): Promise<ContactPreferencesRow | undefined> {
    const rows: ContactPreferencesRow[] = await this.db.query(`SELECT * FROM contact_preferences WHERE subject_id = $1`, [subjectId]);
    return rows[0];
  }

  /** What the register holds, with the row locked for the rest of the transaction `tx`. */
  async lockPrefilled(tx: Db, subjectId: string): Promise<PrefilledContact | null> {
    const rows: Array<{ prefilled: PrefilledContact | null }> = await tx.query(`SELECT prefilled FROM contact_preferences WHERE subject_id = $1 FOR UPDATE`, [subjectId]);
    return rows[0]?.prefilled ?? null;
  }

  /** Replaces the person's own choices (the register's values stay). */
  async saveOwn(tx: Db, o: OwnPreferences): Promise<ContactPreferencesRow> {
    const [saved] = await queryRows<ContactPreferencesRow>(
      tx,
      `INSERT INTO contact_preferences (subject_type, subject_id, language, channels, email, phone, postal_address, mandate_copies, updated_at, updated_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, now(), $9)
       ON CONFLICT (subject_id) DO UPDATE SET language = EXCLUDED.language, channels = EXCLUDED.channels, email = EXCLUDED.email,
         phone = EXCLUDED.phone, postal_address = EXCLUDED.postal_address, mandate_copies = EXCLUDED.mandate_copies,
         updated_at = now(), updated_by = EXCLUDED.updated_by
       RETURNING *`,
      [o.subject.type, o.subject.id, o.language, o.channels, o.email, o.phone, o.postalAddress ? JSON.stringify(o.postalAddress) : null, o.mandateCopies, o.by],
    );
    return saved;
  }

  /**
   * What the register holds (the dispatcher, once per person; a person's own choices never touch
   * it): stored unless it was stored before.
   */
  async storePrefilled(subjectType: string, subjectId: string, prefilled: PrefilledContact): Promise<void> {
    await this.db.query(
      `INSERT INTO contact_preferences (subject_type, subject_id, prefilled, updated_by) VALUES ($1, $2, $3, 'levensloop/notify')
       ON CONFLICT (subject_id) DO UPDATE SET prefilled = EXCLUDED.prefilled WHERE contact_preferences.prefilled IS NULL`,
      [subjectType, subjectId, JSON.stringify(prefilled)],
    );
  }
}
