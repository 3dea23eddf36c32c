import type { DataSource } from 'typeorm';
import type { SubjectType } from '@levensloop/domain';
import type { PrefilledContact } from '../entities/notification.entities';
import { rows } from './sql';

/** A register read of contact details, as the access log records it (before the read, and its outcome after). */
export interface ContactReadLogEntry {
  accessKey: string;
  subjectType: SubjectType;
  subjectId: string;
  journeyId: string;
  source: string;
  fields: readonly string[];
  purpose: Record<string, string>;
  legalBasis: { type: string; reference: string };
  outcome: string;
  reason: string | null;
  requestId: string | null;
}

/**
 * What the dispatcher writes of a person's contact details: what the register holds
 * (`contact_preferences.prefilled`, once; the person's own choices are the gateway's), and the
 * access-log rows of that read.
 */
export class NotificationContacts {
  constructor(private readonly ds: DataSource) {}

  /** Stores what the register holds, unless it was stored before. */
  async storePrefilled(subjectType: SubjectType, subjectId: string, prefilled: PrefilledContact): Promise<void> {
    await this.ds.query(
      `INSERT INTO contact_preferences (subject_type, subject_id, prefilled, updated_by) VALUES ($1, $2, $3, 'levensloop/notify')
       ON CONFLICT (subject_id) DO UPDATE SET prefilled = EXCLUDED.prefilled WHERE contact_preferences.prefilled IS NULL`,
      [subjectType, subjectId, JSON.stringify(prefilled)],
    );
  }

  /** One access-log row of the read (the log is insert-only and hash-chained by the database). */
  async logRead(e: ContactReadLogEntry): Promise<string | undefined> {
    const [row] = await rows<{ id: string }>(
      this.ds,
      `INSERT INTO data_access_log (access_key, subject_type, subject_id, journey_id, agency, step_key, actor, actor_kind, source, fields, purpose, legal_basis, outcome, reason, request_id)
       VALUES ($1, $2, $3, $4, 'levensloop', 'notify', 'levensloop/notify', 'step', $5, $6, $7, $8, $9, $10, $11) RETURNING id`,
      [e.accessKey, e.subjectType, e.subjectId, e.journeyId, e.source, e.fields, JSON.stringify(e.purpose), JSON.stringify(e.legalBasis), e.outcome, e.reason, e.requestId],
    );
    return row?.id;
  }
}
