import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { Language } from '@levensloop/domain';
import { AuditLog, Consents, type ConsentRow, type ConsentView } from '@levensloop/persistence';
import type { Principal } from '../auth/principal';
import { conflict, notFound } from '../common/problem';
import { describeField, isUuid, tr } from '../data-access/reading';
import { MandatesService, ownIds, type SubjectRelation } from '../mandates/mandates.service';

/**
 * Consents a subject gave (or refused) for fields whose legal basis is consent. Withdrawing one
 * means no further fetch: the worker reads this table before every fetch.
 */
@Injectable()
export class ConsentsService {
  constructor(
    private readonly db: DataSource,
    private readonly consents: Consents,
    private readonly auditLog: AuditLog,
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
    const rows = await this.consents.visibleTo(own, represented, ownIds(p));
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
      const consent = isUuid(id) ? await this.consents.lock(tx, id) : undefined;
      // Not yours and not there look the same: no probing of other people's consents.
      if (!consent || !subjects.has(consent.subject_id) || !(await this.withinScope(p, consent, subjects, tx))) throw notFound(`Consent ${id}`);
      if (consent.status === 'withdrawn') return consent.id;
      if (consent.status !== 'granted') throw conflict(`This consent was ${consent.status}, not granted, so there is nothing to withdraw.`);
      const relation = subjects.get(consent.subject_id)!;
      await this.consents.withdraw(tx, id, p.sub);
      await this.auditLog.append(
        {
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
        },
        tx,
      );
      return consent.id;
    });
    const row = (await this.consents.view(result))!;
    return viewOf(row, lang, subjects.get(row.subject_id));
  }

  /**
   * Through a mandate, a consent is withdrawn only if the mandate covers the life event of the
   * journey it was given in; one outside any journey (or of a journey no longer there) needs a
   * mandate over every life event (the journey's life event is then NULL, which only such a mandate covers).
   */
  private async withinScope(p: Principal, consent: ConsentRow, subjects: Map<string, SubjectRelation>, tx: EntityManager): Promise<boolean> {
    if (subjects.get(consent.subject_id)?.relation === 'self') return true;
    return this.consents.actingMandateCovers(tx, ownIds(p), consent.subject_id, consent.journey_id);
  }
}

function viewOf(r: ConsentView, lang: Language, relation: SubjectRelation | undefined) {
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
