import type { Db } from './db';
import { columns, rows } from './sql';

/** A supervisor of an agency as the escalation e-mails reach them. */
export interface SupervisorContact {
  email: string;
  name: string | null;
  language: string;
  /** Empty: every step of the agency; else the steps of these teams only. */
  teams: string[];
}

/** A supervisor an escalation goes to (for the message `note_id`), with the recipient id of their delivery. */
export interface EscalationRecipient {
  note_id: string;
  /** `supervisor-<id>`: short enough for a delivery's recipient id, stable while the supervisor stays on the list. */
  recipient_id: string;
  email: string;
  language: string;
}

/**
 * `supervisor_contacts`: each agency's supervisors and where to e-mail them (migration
 * 1765880000000). The gateway writes it (`PUT /agencies/{agency}/supervisors`); the dispatcher's
 * fan-out reads whom an escalation goes to.
 */
export class SupervisorContacts {
  constructor(private readonly db: Db) {}

  /** The agency's supervisors, by e-mail address. */
  list(agency: string, db: Db = this.db): Promise<SupervisorContact[]> {
    return rows<SupervisorContact>(db, `SELECT email, name, language, teams FROM supervisor_contacts WHERE agency = $1 ORDER BY email`, [agency]);
  }

  /** Replaces the agency's list (in the caller's transaction); one already there keeps its id. */
  async replace(db: Db, agency: string, contacts: readonly SupervisorContact[]): Promise<void> {
    await db.query(`DELETE FROM supervisor_contacts WHERE agency = $1 AND NOT (email = ANY($2::text[]))`, [agency, contacts.map((c) => c.email)]);
    if (!contacts.length) return;
    await db.query(
      `INSERT INTO supervisor_contacts (agency, email, name, language, teams)
       SELECT $1, c.email, c.name, c.language, coalesce((SELECT array_agg(t) FROM jsonb_array_elements_text(c.teams) t), '{}')
         FROM unnest($2::text[], $3::text[], $4::text[], $5::jsonb[]) AS c(email, name, language, teams)
       ON CONFLICT (agency, email) DO UPDATE SET name = EXCLUDED.name, language = EXCLUDED.language, teams = EXCLUDED.teams, updated_at = now()`,
      [agency, ...columns(contacts, ['email', 'name', 'language']), contacts.map((c) => JSON.stringify(c.teams))],
    );
  }

  /**
   * Whom each escalation goes to: the supervisors of the step's agency for every step, and those
   * of the step's team when its task is in a team's queue. One statement for all of a fan-out's.
   */
  static recipients(db: Db, notes: ReadonlyArray<{ id: string; agency?: string | null; team?: string | null }>): Promise<EscalationRecipient[]> {
    if (!notes.length) return Promise.resolve([]);
    return rows<EscalationRecipient>(
      db,
      `SELECT n.id AS note_id, 'supervisor-' || s.id AS recipient_id, s.email, s.language
         FROM unnest($1::uuid[], $2::text[], $3::text[]) AS n(id, agency, team)
         JOIN supervisor_contacts s ON s.agency = n.agency AND (cardinality(s.teams) = 0 OR n.team = ANY(s.teams))
        ORDER BY n.id, s.id`,
      [notes.map((n) => n.id), notes.map((n) => n.agency ?? null), notes.map((n) => n.team ?? null)],
    );
  }
}
