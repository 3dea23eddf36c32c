import type { DataSource } from 'typeorm';
import { type ServiceNorm, type SubjectType } from '@levensloop/domain';
import type { LifeEventNodeRef } from '@levensloop/notifications';
import type { ContactPreferencesRow } from './preferences.repository';
import type { Deliveries, NewDelivery } from './deliveries.repository';
import { columns, count, rows } from './sql';
import { Mandates } from './mandates.repository';

/**
 * The holders who get a copy of a message about a subject's journey (SQL expressions for the
 * subject and the journey's life event): a running mandate that covers the life event, unless the
 * subject turned copies off. Fan-out sends to them, and only their contact details are read.
 */
const copyHoldersSql = (subject: string, lifeEvent: string) =>
  `SELECT m.holder_id FROM mandates m
    WHERE m.subject_id = ${subject} AND m.holder_id <> ${subject} AND ${Mandates.coversSql(lifeEvent, 'read', 'm')}
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
}

/** A person's contact row as the fan-out reads it. */
export type ContactRow = Pick<ContactPreferencesRow, 'subject_id' | 'language' | 'channels' | 'email' | 'phone' | 'postal_address' | 'prefilled'>;

/** What one fan-out pass found, for the decision (a pure function) of who gets what. */
export interface FanOutBatch {
  notes: FanOutNote[];
  /** Per message id, the mandate holders who get a copy. */
  copies: Map<string, string[]>;
  contacts: Map<string, ContactRow>;
}

/** An agency's step past its due date without a delay notice yet, and the life event's nodes. */
export interface LateStepCandidate {
  journey_id: string;
  node_key: string;
  agency: string | null;
  kind: string;
  status: string;
  journey_status: string;
  started_at: Date | null;
  due_at: Date | null;
  nodes: LifeEventNodeRef[] | null;
}

/** A delay notice to write (once per step: keyed). */
export interface DelayNotice {
  journeyId: string;
  nodeKey: string;
  agency: string | null;
  newExpectedDate: Date;
}

/**
 * The `notifications` outbox as the dispatcher works it: what waits for its fan-out (and whose
 * contact details it needs), the fan-out itself (deliveries and `fanned_out_at` in one
 * transaction, several dispatchers side by side: FOR UPDATE SKIP LOCKED), and the messages the
 * scheduler writes (reminders, delay notices), each under its dedup key so it happens once.
 */
export class NotificationOutbox {
  constructor(
    private readonly ds: DataSource,
    /** The deliveries' one writer: the fan-out's rows go through it, in the fan-out's transaction. */
    private readonly deliveries: Deliveries,
  ) {}

  /** Subjects and copy holders of the next messages to fan out whose contact details were never read. */
  unreadContacts(limit: number): Promise<UnreadContact[]> {
    return rows<UnreadContact>(
      this.ds,
      `WITH pending AS (
         SELECT n.journey_id, j.subject_type, j.subject_id, j.life_event_key FROM notifications n JOIN journeys j ON j.id = n.journey_id
          WHERE n.fanned_out_at IS NULL ORDER BY n.created_at LIMIT $1),
       people AS (
         SELECT subject_type AS type, subject_id AS id, journey_id FROM pending
         UNION ALL
         -- Only the holders the fan-out will send a copy to: nobody else's contact details are read.
         SELECT 'person', h.holder_id, p.journey_id FROM pending p CROSS JOIN LATERAL (${copyHoldersSql('p.subject_id', 'p.life_event_key')}) h)
       SELECT DISTINCT ON (p.id) p.type, p.id, p.journey_id FROM people p
         LEFT JOIN contact_preferences cp ON cp.subject_id = p.id
        WHERE cp.prefilled IS NULL`,
      [limit],
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
        `SELECT n.id, n.category, n.created_at, j.subject_type, j.subject_id, j.life_event_key
           FROM notifications n JOIN journeys j ON j.id = n.journey_id
          WHERE n.fanned_out_at IS NULL ORDER BY n.created_at LIMIT $1 FOR UPDATE OF n SKIP LOCKED`,
        [limit],
      );
      if (!notes.length) return 0;
      const holders = await rows<{ id: string; holder_id: string }>(
        em,
        `SELECT n.id, h.holder_id FROM unnest($1::uuid[], $2::text[], $3::text[]) AS n(id, subject_id, life_event_key)
           CROSS JOIN LATERAL (${copyHoldersSql('n.subject_id', 'n.life_event_key')}) h ORDER BY n.id, h.holder_id`,
        columns(notes, ['id', 'subject_id', 'life_event_key']),
      );
      const copies = new Map<string, string[]>();
      for (const h of holders) copies.set(h.id, [...(copies.get(h.id) ?? []), h.holder_id]);
      const people = [...new Set([...notes.map((n) => n.subject_id), ...holders.map((h) => h.holder_id)])];
      const contacts = await rows<ContactRow>(
        em,
        `SELECT subject_id, language, channels, email, phone, postal_address, prefilled FROM contact_preferences WHERE subject_id = ANY($1)`,
        [people],
      );
      const { deliveries, done } = decide({ notes, copies, contacts: new Map(contacts.map((c) => [c.subject_id, c])) });
      await this.deliveries.insertFannedOut(em, deliveries);
      if (done.length) await em.query(`UPDATE notifications SET fanned_out_at = now() WHERE id = ANY($1)`, [done]);
      return done.length;
    });
  }

  /** A reminder for each open citizen task due within `beforeSeconds` (journey under way). Returns how many were new. */
  insertReminders(beforeSeconds: number): Promise<number> {
    return count(
      this.ds,
      `INSERT INTO notifications (id, dedup_key, journey_id, transaction_id, category, node_key, data, action_needed, agency)
       SELECT gen_random_uuid(), t.id || '/reminder', t.journey_id, t.journey_id::text, 'action.reminder', t.node_key,
              jsonb_build_object('taskId', t.id, 'dueAt', t.due_at), true, t.agency
         FROM tasks t JOIN journeys j ON j.id = t.journey_id
        WHERE t.assignee = 'citizen' AND t.status IN ('open', 'claimed') AND t.due_at IS NOT NULL
          AND t.due_at > now() AND t.due_at - make_interval(secs => $1) <= now() AND j.status IN ('running', 'needs_attention')
       ON CONFLICT (dedup_key) DO NOTHING`,
      [beforeSeconds],
    );
  }

  /**
   * Steps of the given kinds and statuses (journey in one of `journeyStatuses`) past their due
   * date and not yet told about; whether each is late, and till when, is decided in TypeScript.
   */
  lateStepCandidates(kinds: readonly string[], statuses: readonly string[], journeyStatuses: readonly string[]): Promise<LateStepCandidate[]> {
    return rows<LateStepCandidate>(
      this.ds,
      `SELECT s.journey_id, s.node_key, s.agency, s.kind, s.status, j.status AS journey_status, s.started_at, s.due_at, le.definition->'nodes' AS nodes
         FROM journey_steps s JOIN journeys j ON j.id = s.journey_id
         JOIN life_events le ON le.key = j.life_event_key AND le.version = j.life_event_version
        WHERE s.kind = ANY($1) AND s.status = ANY($2) AND s.due_at < now() AND j.status = ANY($3)
          AND NOT EXISTS (SELECT 1 FROM notifications n WHERE n.dedup_key = s.journey_id::text || '/' || s.node_key || '/delayed')
        LIMIT 500`,
      [kinds, statuses, journeyStatuses],
    );
  }

  /** The service norm of each step version named (key `agency/key/version`; none: the step has no norm). */
  async serviceNorms(refs: ReadonlyArray<{ agency: string; key: string; version: number }>): Promise<Map<string, Partial<ServiceNorm> | null>> {
    if (!refs.length) return new Map();
    const found = await rows<{ agency: string; key: string; version: number; norm: Partial<ServiceNorm> | null }>(
      this.ds,
      `SELECT ss.agency, ss.key, ss.version, ss.definition->'serviceNorm' AS norm
         FROM service_steps ss JOIN unnest($1::text[], $2::text[], $3::int[]) AS r(agency, key, version)
           ON ss.agency = r.agency AND ss.key = r.key AND ss.version = r.version`,
      columns(refs, ['agency', 'key', 'version']),
    );
    return new Map(found.map((f) => [`${f.agency}/${f.key}/${f.version}`, f.norm]));
  }

  /** Writes a delay notice unless the step had one; true when it is new. */
  async insertDelayNotice(n: DelayNotice): Promise<boolean> {
    const made = await count(
      this.ds,
      `INSERT INTO notifications (id, dedup_key, journey_id, transaction_id, category, node_key, data, action_needed, agency)
       VALUES (gen_random_uuid(), $1, $2::uuid, $2::text, 'service.delayed', $3, $4, false, $5) ON CONFLICT (dedup_key) DO NOTHING`,
      [`${n.journeyId}/${n.nodeKey}/delayed`, n.journeyId, n.nodeKey, JSON.stringify({ agency: n.agency, newExpectedDate: n.newExpectedDate.toISOString() }), n.agency],
    );
    return made > 0;
  }
}
