import { randomUUID } from 'node:crypto';
import { type Translations } from '@levensloop/domain';
import { queryRows } from '../query';
import type { Db } from './db';
import { Mandates } from './mandates.repository';

export type ConsentStatus = 'granted' | 'refused' | 'withdrawn';

export interface ConsentRow {
  id: string;
  subject_type: string;
  subject_id: string;
  agency: string;
  step_key: string;
  source: string;
  field: string;
  status: ConsentStatus;
  journey_id: string | null;
  node_key: string | null;
  given_by: string;
  given_at: Date;
  withdrawn_at: Date | null;
}

/** A consent with what a reader needs to recognise it: the agency's name and the step's title. */
export interface ConsentView extends ConsentRow {
  agency_names: Translations | null;
  step_title: Translations | null;
}

/** A citizen's answer to a consent asked by a step. */
export interface ConsentAnswer {
  subject: { type: string; id: string };
  agency: string;
  stepKey: string;
  source: string;
  field: string;
  given: boolean;
  journeyId: string;
  nodeKey: string;
  givenBy: string;
}

const CONSENT_SELECT = `
  SELECT c.*, a.names AS agency_names,
         COALESCE(js.title, (SELECT st.definition->'titles' FROM service_steps st
                              WHERE st.agency = c.agency AND st.key = c.step_key ORDER BY st.version DESC LIMIT 1)) AS step_title
    FROM consents c
    LEFT JOIN agencies a ON a.code = c.agency
    LEFT JOIN journey_steps js ON js.journey_id = c.journey_id AND js.node_key = c.node_key`;

/**
 * Consents a subject gave (or refused) for fields whose legal basis is consent: recorded by the
 * worker when the citizen answers, read before every fetch, withdrawn through the gateway.
 */
export class Consents {
  constructor(private readonly db: Db) {}

  /** The latest answer per subject, agency, step and field wins (a withdrawn consent asked again is given anew). */
  async record(a: ConsentAnswer): Promise<void> {
    await this.db.query(
      `INSERT INTO consents (id, subject_type, subject_id, agency, step_key, source, field, status, journey_id, node_key, given_by, given_at, withdrawn_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, now(), NULL)
       ON CONFLICT (subject_id, agency, step_key, source, field)
       DO UPDATE SET status = EXCLUDED.status, journey_id = EXCLUDED.journey_id, node_key = EXCLUDED.node_key,
                     given_by = EXCLUDED.given_by, given_at = now(), withdrawn_at = NULL`,
      [randomUUID(), a.subject.type, a.subject.id, a.agency, a.stepKey, a.source, a.field, a.given ? 'granted' : 'refused', a.journeyId, a.nodeKey, a.givenBy],
    );
  }

  /** What the subject answered for a step's fields. */
  async ofStep(subjectId: string, agency: string, stepKey: string): Promise<Array<{ source: string; field: string; status: ConsentStatus }>> {
    return this.db.query(`SELECT source, field, status FROM consents WHERE subject_id = $1 AND agency = $2 AND step_key = $3`, [subjectId, agency, stepKey]);
  }

  /**
   * Consents about `own`, and about `represented` as far as a mandate one of `holderIds` holds
   * reaches: given in journeys of the life events it covers; outside any journey only through a
   * mandate over every life event. Newest first.
   */
  async visibleTo(own: string[], represented: string[], holderIds: string[]): Promise<ConsentView[]> {
    return this.db.query(
      `${CONSENT_SELECT}
        LEFT JOIN journeys j ON j.id = c.journey_id
        WHERE c.subject_id = ANY($1)
           OR (c.subject_id = ANY($2) AND EXISTS (SELECT 1 FROM mandates m WHERE m.holder_id = ANY($3) AND m.subject_id = c.subject_id AND ${Mandates.coversSql('j.life_event_key', 'read', 'm')}))
        ORDER BY c.given_at DESC, c.id`,
      [own, represented, holderIds],
    );
  }

  async view(id: string): Promise<ConsentView | undefined> {
    const rows: ConsentView[] = await this.db.query(`${CONSENT_SELECT} WHERE c.id = $1`, [id]);
    return rows[0];
  }

  /** The consent, locked for the rest of the transaction `tx`. */
  async lock(tx: Db, id: string): Promise<ConsentRow | undefined> {
    const rows: ConsentRow[] = await tx.query(`SELECT * FROM consents WHERE id = $1 FOR UPDATE`, [id]);
    return rows[0];
  }

  async withdraw(tx: Db, id: string): Promise<void> {
    await queryRows(tx, `UPDATE consents SET status = 'withdrawn', withdrawn_at = now() WHERE id = $1`, [id]);
  }

  /**
   * Whether one of `holderIds` holds an acting mandate for the subject that covers the life event
   * of the journey the consent was given in; for one outside any journey (or of a journey no
   * longer there) the life event is NULL, which only a mandate over every life event covers.
   */
  async actingMandateCovers(tx: Db, holderIds: string[], subjectId: string, journeyId: string | null): Promise<boolean> {
    const rows: unknown[] = await tx.query(
      `SELECT 1 FROM mandates m LEFT JOIN journeys j ON j.id = $3::uuid
        WHERE m.holder_id = ANY($1) AND m.subject_id = $2 AND ${Mandates.coversSql('j.life_event_key', 'act', 'm')} LIMIT 1`,
      [holderIds, subjectId, journeyId],
    );
    return rows.length > 0;
  }
}
