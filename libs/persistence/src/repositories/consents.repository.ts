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

/**
 * A consent as it stands: the citizen's answer (the worker's row) and, when a withdrawal (the
 * gateway's `consent_withdrawals`) is at least as new as that answer, withdrawn. Asked again and
 * given, the newer answer wins.
 */
const CONSENT_STATUS = `CASE WHEN w.withdrawn_at IS NOT NULL THEN 'withdrawn' ELSE c.status END`;
const LATEST_WITHDRAWAL = `LEFT JOIN LATERAL (SELECT cw.withdrawn_at FROM consent_withdrawals cw
                                          WHERE cw.consent_id = c.id AND cw.withdrawn_at >= c.given_at
                                          ORDER BY cw.withdrawn_at DESC LIMIT 1) w ON true`;
const CONSENT_COLUMNS = `c.id, c.subject_type, c.subject_id, c.agency, c.step_key, c.source, c.field, ${CONSENT_STATUS} AS status,
         c.journey_id, c.node_key, c.given_by, c.given_at, w.withdrawn_at`;

const CONSENT_SELECT = `
  SELECT ${CONSENT_COLUMNS}, a.names AS agency_names,
         COALESCE(js.title, (SELECT st.definition->'titles' FROM service_steps st
                              WHERE st.agency = c.agency AND st.key = c.step_key ORDER BY st.version DESC LIMIT 1)) AS step_title
    FROM consents c
    ${LATEST_WITHDRAWAL}
    LEFT JOIN agencies a ON a.code = c.agency
    LEFT JOIN journey_steps js ON js.journey_id = c.journey_id AND js.node_key = c.node_key`;

/**
 * Consents a subject gave (or refused) for fields whose legal basis is consent: the answers are the
 * worker's (recorded when the citizen answers), the withdrawals the gateway's (`consent_withdrawals`,
 * recordable whatever state the journey is in); read before every fetch with both combined.
 */
export class Consents {
  constructor(private readonly db: Db) {}

  /**
   * The latest answer per subject, agency, step and field wins: a withdrawn consent asked again is
   * given anew (its `given_at` is then newer than the withdrawal).
   */
  async record(a: ConsentAnswer): Promise<void> {
    await this.db.query(
      `INSERT INTO consents (id, subject_type, subject_id, agency, step_key, source, field, status, journey_id, node_key, given_by, given_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, now())
       ON CONFLICT (subject_id, agency, step_key, source, field)
       DO UPDATE SET status = EXCLUDED.status, journey_id = EXCLUDED.journey_id, node_key = EXCLUDED.node_key,
                     given_by = EXCLUDED.given_by, given_at = now()`,
      [randomUUID(), a.subject.type, a.subject.id, a.agency, a.stepKey, a.source, a.field, a.given ? 'granted' : 'refused', a.journeyId, a.nodeKey, a.givenBy],
    );
  }

  /** What the subject answered for a step's fields, withdrawals included. */
  async ofStep(subjectId: string, agency: string, stepKey: string): Promise<Array<{ source: string; field: string; status: ConsentStatus }>> {
    return this.db.query(
      `SELECT c.source, c.field, ${CONSENT_STATUS} AS status FROM consents c ${LATEST_WITHDRAWAL}
        WHERE c.subject_id = $1 AND c.agency = $2 AND c.step_key = $3`,
      [subjectId, agency, stepKey],
    );
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
           OR (c.subject_id = ANY($2) AND EXISTS (SELECT 1 FROM mandates_in_force m WHERE m.holder_id = ANY($3) AND m.subject_id = c.subject_id AND ${Mandates.coversSql('j.life_event_key', 'read', 'm')}))
        ORDER BY c.given_at DESC, c.id`,
      [own, represented, holderIds],
    );
  }

  async view(id: string): Promise<ConsentView | undefined> {
    const rows: ConsentView[] = await this.db.query(`${CONSENT_SELECT} WHERE c.id = $1`, [id]);
    return rows[0];
  }

  /**
   * The consent as it stands, its withdrawals serialised for the rest of the transaction `tx` (a
   * transaction-scoped advisory lock on the consent: the answer's row is the worker's, not locked here).
   */
  async lock(tx: Db, id: string): Promise<ConsentRow | undefined> {
    await tx.query(`SELECT pg_advisory_xact_lock(hashtextextended('consent_withdrawals:' || $1::text, 0))`, [id]);
    const rows: ConsentRow[] = await tx.query(`SELECT ${CONSENT_COLUMNS} FROM consents c ${LATEST_WITHDRAWAL} WHERE c.id = $1`, [id]);
    return rows[0];
  }

  /** Records the withdrawal (the gateway's fact): from now on the consent reads as withdrawn until it is given again. */
  async withdraw(tx: Db, id: string, by: string): Promise<void> {
    await queryRows(tx, `INSERT INTO consent_withdrawals (consent_id, withdrawn_at, withdrawn_by) VALUES ($1, clock_timestamp(), $2)`, [id, by]);
  }

  /**
   * Whether one of `holderIds` holds an acting mandate for the subject that covers the life event
   * of the journey the consent was given in; for one outside any journey (or of a journey no
   * longer there) the life event is NULL, which only a mandate over every life event covers.
   */
  async actingMandateCovers(tx: Db, holderIds: string[], subjectId: string, journeyId: string | null): Promise<boolean> {
    const rows: unknown[] = await tx.query(
      `SELECT 1 FROM mandates_in_force m LEFT JOIN journeys j ON j.id = $3::uuid
        WHERE m.holder_id = ANY($1) AND m.subject_id = $2 AND ${Mandates.coversSql('j.life_event_key', 'act', 'm')} LIMIT 1`,
      [holderIds, subjectId, journeyId],
    );
    return rows.length > 0;
  }
}
