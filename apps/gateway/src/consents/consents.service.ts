import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { Language, Translations } from '@levensloop/domain';
import { appendAudit, queryRows } from '@levensloop/persistence';
import type { Principal } from '../auth/principal';
import { conflict, notFound } from '../common/problem';
import { describeField, isUuid, tr } from '../data-access/reading';
import { MandatesService, mandateCoversSql, ownIds, type SubjectRelation } from '../mandates/mandates.service';

interface ConsentRow {
  id: string;
  subject_type: string;
  subject_id: string;
  agency: string;
  step_key: string;
  source: string;
  field: string;
  status: 'granted' | 'refused' | 'withdrawn';
  journey_id: string | null;
  node_key: string | null;
  given_by: string;
  given_at: Date;
  withdrawn_at: Date | null;
  agency_names?: Translations | null;
  step_title?: Translations | null;
}

/** Joins what a reader needs to recognise a consent: the agency's name and the step's title. */
const CONSENT_SELECT = `
  SELECT c.*, a.names AS agency_names,
         COALESCE(js.title, (SELECT st.definition->'titles' FROM service_steps st
                              WHERE st.agency = c.agency AND st.key = c.step_key ORDER BY st.version DESC LIMIT 1)) AS step_title
    FROM consents c
    LEFT JOIN agencies a ON a.code = c.agency
    LEFT JOIN journey_steps js ON js.journey_id = c.journey_id AND js.node_key = c.node_key`;

/**
 * Consents a subject gave (or refused) for fields whose legal basis is consent. Withdrawing one
 * means no further fetch: the worker reads this table before every fetch.
 */
@Injectable()
export class ConsentsService {
  constructor(
    private readonly db: DataSource,
    private readonly mandates: MandatesService,
  ) {}

  /**
   * The consents of the reader, and of subjects they hold a valid mandate for as far as its scope
   * reaches: consents given in journeys of the life events it covers; consents outside any journey
   * (or of a journey no longer there) only through a mandate over every life event.
   */
  async mine(p: Principal, lang: Language) {
    const subjects = await this.mandates.subjectsFor(p);
    if (subjects.size === 0) return { items: [] };
    const own = [...subjects.keys()].filter((id) => subjects.get(id)?.relation === 'self');
    const represented = [...subjects.keys()].filter((id) => subjects.get(id)?.relation === 'mandate');
    const rows: ConsentRow[] = await this.db.query(
      `${CONSENT_SELECT}
        LEFT JOIN journeys j ON j.id = c.journey_id
        WHERE c.subject_id = ANY($1)
           OR (c.subject_id = ANY($2) AND EXISTS (SELECT 1 FROM mandates m WHERE m.holder_id = ANY($3) AND m.subject_id = c.subject_id AND ${mandateCoversSql('j.life_event_key', 'read', 'm')}))
        ORDER BY c.given_at DESC, c.id`,
      [own, represented, ownIds(p)],
    );
    return { items: rows.map((r) => viewOf(r, lang, subjects.get(r.subject_id))) };
  }

  /**
   * The subject or a mandate holder withdraws a consent; the change and its audit row commit
   * together. Withdrawing again answers the same record (a retried request changes nothing).
   */
  async withdraw(p: Principal, id: string, lang: Language) {
    // Withdrawing acts for the subject: a read-only mandate shows consents but cannot withdraw them.
    const subjects = await this.mandates.subjectsFor(p, 'act');
    const result = await this.db.transaction(async (tx) => {
      const rows: ConsentRow[] = isUuid(id) ? await tx.query(`SELECT * FROM consents WHERE id = $1 FOR UPDATE`, [id]) : [];
      const consent = rows[0];
      // Not yours and not there look the same: no probing of other people's consents.
      if (!consent || !subjects.has(consent.subject_id) || !(await this.withinScope(p, consent, subjects, tx))) throw notFound(`Consent ${id}`);
      if (consent.status === 'withdrawn') return consent.id;
      if (consent.status !== 'granted') throw conflict(`This consent was ${consent.status}, not granted, so there is nothing to withdraw.`);
      const relation = subjects.get(consent.subject_id)!;
      await queryRows(tx, `UPDATE consents SET status = 'withdrawn', withdrawn_at = now() WHERE id = $1`, [id]);
      await appendAudit(tx, {
        actor: p.sub,
        action: 'consent.withdrawn',
        targetType: 'consent',
        targetId: id,
        detail: {
          subject: { type: consent.subject_type, id: consent.subject_id },
          agency: consent.agency,
          step: consent.step_key,
          field: `${consent.source}/${consent.field}`,
          journeyId: consent.journey_id,
          as: relation.relation === 'self' ? 'subject' : { mandate: relation.kinds },
        },
      });
      return consent.id;
    });
    const rows: ConsentRow[] = await this.db.query(`${CONSENT_SELECT} WHERE c.id = $1`, [result]);
    return viewOf(rows[0], lang, subjects.get(rows[0].subject_id));
  }

  /**
   * Through a mandate, a consent is withdrawn only if the mandate covers the life event of the
   * journey it was given in; one outside any journey (or of a journey no longer there) needs a
   * mandate over every life event (the journey's life event is then NULL, which only such a mandate covers).
   */
  private async withinScope(p: Principal, consent: ConsentRow, subjects: Map<string, SubjectRelation>, tx: EntityManager): Promise<boolean> {
    if (subjects.get(consent.subject_id)?.relation === 'self') return true;
    const rows: unknown[] = await tx.query(
      `SELECT 1 FROM mandates m LEFT JOIN journeys j ON j.id = $3::uuid
        WHERE m.holder_id = ANY($1) AND m.subject_id = $2 AND ${mandateCoversSql('j.life_event_key', 'act', 'm')} LIMIT 1`,
      [ownIds(p), consent.subject_id, consent.journey_id],
    );
    return rows.length > 0;
  }
}

function viewOf(r: ConsentRow, lang: Language, relation: SubjectRelation | undefined) {
  return {
    id: r.id,
    subject: { type: r.subject_type, id: r.subject_id, ...(relation ? { relation: relation.relation } : {}) },
    agency: { code: r.agency, name: tr(r.agency_names, lang) ?? r.agency },
    step: { key: r.step_key, node: r.node_key ?? undefined, title: tr(r.step_title, lang) ?? r.step_key },
    field: describeField(r.source, r.field, lang),
    status: r.status,
    journeyId: r.journey_id ?? undefined,
    givenBy: r.given_by,
    givenAt: r.given_at,
    withdrawnAt: r.withdrawn_at ?? undefined,
  };
}
