import type { DataSource } from 'typeorm';
import type { SubjectType } from '@levensloop/domain';
import { CONTACTS_SQL, type ContactPreferencesRow } from './preferences.repository';
import type { Deliveries, NewDelivery } from './deliveries.repository';
import { columns, rows } from './sql';
import { personHoldersSql } from './mandate-recipients';
import { SupervisorContacts, type EscalationRecipient } from './supervisor-contacts.repository';

/**
 * The holders who get a copy of a message about a subject's journey (SQL expressions for the
 * subject and the journey's life event): a running mandate that covers the life event, the
 * register's or one the subject granted to a person (./mandate-recipients), unless the subject
 * turned copies off. Fan-out sends to them, and only their contact details are read.
 */
const copyHoldersSql = (subject: string, lifeEvent: string) =>
  `SELECT m.holder_id FROM (${personHoldersSql(subject, lifeEvent)}) m
    WHERE m.holder_id <> ${subject}
      AND NOT EXISTS (SELECT 1 FROM contact_preferences s WHERE s.subject_id = ${subject} AND NOT s.mandate_copies)`;

/** Someone a message waiting for its fan-out goes to whose contact details were never read. */
export interface UnreadContact {
  type: SubjectType;
  id: string;
  journey_id: string;
}

/** A message taken for its fan-out, with whom it is about. */
export interface FanOutNote {
  id: string;
  category: string;
  created_at: Date;
  subject_type: SubjectType;
  subject_id: string;
  life_event_key: string;
  /** The agency of the step that caused it, and the team queue its task is in (a supervisors' message goes by these). */
  agency?: string | null;
  team?: string | null;
}

/** A person's contact row as the fan-out reads it. */
export type ContactRow = Pick<ContactPreferencesRow, 'subject_id' | 'language' | 'channels' | 'email' | 'phone' | 'postal_address' | 'prefilled'>;

/** What one fan-out pass found, for the decision (a pure function) of who gets what. */
export interface FanOutBatch {
  notes: FanOutNote[];
  /** Per message id, the mandate holders who get a copy. */
  copies: Map<string, string[]>;
  contacts: Map<string, ContactRow>;
  /** Per message to supervisors (FanOutOptions.supervisorCategories), the supervisors it goes to. */
  supervisors?: Map<string, EscalationRecipient[]>;
}

/** Which categories are told to an agency's supervisors rather than to the subject and their representatives. */
export interface FanOutOptions {
  supervisorCategories: readonly string[];
}

/**
 * The `notifications` outbox as the dispatcher works it: what waits for its fan-out (and whose
 * contact details it needs), the fan-out itself (deliveries and `fanned_out_at` in one
 * transaction, several dispatchers side by side: FOR UPDATE SKIP LOCKED). The projection writes
 * the messages (reminders and delay notices too, from the journeys' timers); the dispatcher only
 * marks them fanned out.
 */
export class NotificationOutbox {
  constructor(
    private readonly ds: DataSource,
    /** The deliveries' one writer: the fan-out's rows go through it, in the fan-out's transaction. */
    private readonly deliveries: Deliveries,
    private readonly options: FanOutOptions = { supervisorCategories: [] },
  ) {}

  /** Subjects and copy holders of the next messages to fan out whose contact details were never read. */
  unreadContacts(limit: number): Promise<UnreadContact[]> {
    return rows<UnreadContact>(
      this.ds,
      `WITH pending AS (
         SELECT n.journey_id, j.subject_type, j.subject_id, j.life_event_key FROM notifications n JOIN journeys j ON j.id = n.journey_id
          -- A message to supervisors reads nobody's contact details from the registers.
          WHERE n.fanned_out_at IS NULL AND NOT (n.category = ANY($2::text[])) ORDER BY n.created_at LIMIT $1),
       people AS (
         SELECT subject_type AS type, subject_id AS id, journey_id FROM pending
         UNION ALL
         -- Only the holders the fan-out will send a copy to: nobody else's contact details are read.
         SELECT 'person', h.holder_id, p.journey_id FROM pending p CROSS JOIN LATERAL (${copyHoldersSql('p.subject_id', 'p.life_event_key')}) h)
       SELECT DISTINCT ON (p.id) p.type, p.id, p.journey_id FROM people p
         LEFT JOIN contact_prefills pf ON pf.subject_id = p.id
        WHERE pf.subject_id IS NULL`,
      [limit, this.options.supervisorCategories],
    );
  }

  /**
   * Takes up to `limit` messages for their fan-out, lets `decide` say which deliveries they get
   * and which are done (a message may wait for contact details), and writes both in one transaction.
   * Returns how many messages were fanned out.
   */
  fanOut(limit: number, decide: (batch: FanOutBatch) => { deliveries: NewDelivery[]; done: string[] }): Promise<number> {
    return this.ds.transaction(async (em) => {
      const notes = await rows<FanOutNote>(
        em,
        `SELECT n.id, n.category, n.created_at, j.subject_type, j.subject_id, j.life_event_key, n.agency,
                (SELECT t.team FROM tasks t WHERE t.journey_id = n.journey_id AND t.node_key = n.node_key AND t.purpose = 'task') AS team
           FROM notifications n JOIN journeys j ON j.id = n.journey_id
          WHERE n.fanned_out_at IS NULL ORDER BY n.created_at LIMIT $1 FOR UPDATE OF n SKIP LOCKED`,
        [limit],
      );
      if (!notes.length) return 0;
      const toSupervisors = notes.filter((n) => this.options.supervisorCategories.includes(n.category));
      const toCitizens = notes.filter((n) => !this.options.supervisorCategories.includes(n.category));
      // Only when there are such messages: a fan-out of citizens' messages keeps its round trips.
      const supervisors = new Map<string, EscalationRecipient[]>();
      for (const r of await SupervisorContacts.recipients(em, toSupervisors)) supervisors.set(r.note_id, [...(supervisors.get(r.note_id) ?? []), r]);
      const holders = await rows<{ id: string; holder_id: string }>(
        em,
        `SELECT n.id, h.holder_id FROM unnest($1::uuid[], $2::text[], $3::text[]) AS n(id, subject_id, life_event_key)
           CROSS JOIN LATERAL (${copyHoldersSql('n.subject_id', 'n.life_event_key')}) h ORDER BY n.id, h.holder_id`,
        columns(toCitizens, ['id', 'subject_id', 'life_event_key']),
      );
      const copies = new Map<string, string[]>();
      for (const h of holders) copies.set(h.id, [...(copies.get(h.id) ?? []), h.holder_id]);
      const people = [...new Set([...toCitizens.map((n) => n.subject_id), ...holders.map((h) => h.holder_id)])];
      const contacts = await rows<ContactRow>(
        em,
        CONTACTS_SQL,
        [people],
      );
      const { deliveries, done } = decide({ notes, copies, contacts: new Map(contacts.map((c) => [c.subject_id, c])), supervisors });
      await this.deliveries.insertFannedOut(em, deliveries);
      if (done.length) await em.query(`UPDATE notifications SET fanned_out_at = now() WHERE id = ANY($1)`, [done]);
      return done.length;
    });
  }
}
