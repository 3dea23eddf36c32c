import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { mayReadLogs, stepDataAsker, stepDataRead, type DataRequirement, type Language, type Translations } from '@levensloop/domain';
import { DataAccessLog, JourneyFacts, StepData, type DataAccessEntry, type DataAccessFilter, type DataAccessRow } from '@levensloop/persistence';
import { hasRole, type Principal } from '../auth/principal';
import { AccessService, refusalProblem } from '../access/access.service';
import { forbidden, notFound, ProblemException } from '../common/problem';
import { MandatesService, ownIds, type SubjectRelation } from '../mandates/mandates.service';
import type { DataAccessQuery, JourneyDataAccessQuery, MyDataAccessQuery } from './data-access.dto';
import { decodeCursor, describeField, encodeCursor, explainLegalBasis, splitFieldId, tr } from './reading';

/** The purpose of a caseworker's read when the step's requirement has none (it always should). */
const CASEWORKER_READ: Translations = {
  nl: 'Inzage door een dossierbehandelaar voor deze stap',
  fr: 'Consultation par un gestionnaire de dossier pour cette étape',
  de: 'Einsicht durch einen Sachbearbeiter für diesen Schritt',
  en: 'Read by a caseworker for this step',
};
const REFUSED_READ: Translations = {
  nl: 'Geweigerde inzage: niet nodig voor deze stap',
  fr: 'Consultation refusée : pas nécessaire pour cette étape',
  de: 'Verweigerte Einsicht: für diesen Schritt nicht nötig',
  en: 'Refused read: not needed for this step',
};

/**
 * Transparency about data: who read whose data, when and why, for citizens (themselves and
 * whoever they represent) and auditors; and purpose limitation for caseworkers, who read a step's
 * data only as far as the step declared it, every read logged.
 */
@Injectable()
export class DataAccessService {
  constructor(
    private readonly db: DataSource,
    private readonly log: DataAccessLog,
    private readonly stepData: StepData,
    private readonly journeys: JourneyFacts,
    private readonly access: AccessService,
    private readonly mandates: MandatesService,
  ) {}

  /**
   * A citizen's log: entries about themselves, and about subjects they hold a valid mandate for
   * as far as its scope reaches (entries of journeys of the life events it covers; entries outside
   * any journey only for a mandate over every life event).
   */
  async mine(p: Principal, q: MyDataAccessQuery, lang: Language) {
    const subjects = await this.mandates.subjectsFor(p);
    // A filter narrows what one may see; it never widens it (a stranger's subject gives nothing).
    const allowed = [...subjects.keys()].filter((id) => !q.subject || id === q.subject);
    if (allowed.length === 0) return { items: [], nextCursor: undefined };
    const own = allowed.filter((id) => subjects.get(id)?.relation === 'self');
    const represented = allowed.filter((id) => subjects.get(id)?.relation === 'mandate');
    return this.page(q, lang, { reader: { own, represented, holderIds: ownIds(p) } }, subjects);
  }

  /** The whole log, for auditors only (separation of duties: catalog admins do not read personal data). */
  async all(p: Principal, q: DataAccessQuery, lang: Language) {
    if (!mayReadLogs(p)) throw forbidden('The full data-access log is for auditors; citizens read theirs at /me/data-access.');
    return this.page(q, lang, { subject: q.subject, agency: q.agency });
  }

  /**
   * One journey's entries, for whoever may see the journey (the rule of GET /journeys/{id}): its
   * subject and their mandate holders, caseworkers of an agency with a step in it, and auditors.
   * Anyone else gets the same 404 as for a journey that does not exist.
   */
  async ofJourney(p: Principal, journeyId: string, q: JourneyDataAccessQuery, lang: Language) {
    await this.access.visibleJourney(p, journeyId);
    const subjects = hasRole(p, 'citizen') ? await this.mandates.subjectsFor(p) : undefined;
    return this.page({ ...q, journey: journeyId }, lang, {}, subjects);
  }

  private async page(q: MyDataAccessQuery, lang: Language, filter: Omit<DataAccessFilter, 'limit'>, subjects?: Map<string, SubjectRelation>) {
    const limit = q.limit ?? 50;
    const rows = await this.log.page({ ...filter, journey: q.journey, outcome: q.outcome, after: q.cursor ? decodeCursor(q.cursor) : undefined, limit });
    const pageRows = rows.slice(0, limit);
    const last = pageRows[pageRows.length - 1];
    return {
      items: pageRows.map((r) => this.entryOf(r, lang, subjects)),
      nextCursor: rows.length > limit && last ? encodeCursor(last.at_key, last.id) : undefined,
    };
  }

  private entryOf(r: DataAccessRow, lang: Language, subjects?: Map<string, SubjectRelation>) {
    const relation = subjects?.get(r.subject_id);
    return {
      id: r.id,
      at: r.at,
      // Whose data: yours, or of someone you represent (and as what).
      subject: {
        type: r.subject_type,
        id: r.subject_id,
        ...(relation ? { relation: relation.relation, ...(relation.relation === 'mandate' ? { mandateKinds: relation.kinds } : {}) } : {}),
      },
      journey: r.journey_id ? { id: r.journey_id, title: tr(r.journey_title, lang) } : undefined,
      step: r.node_key || r.step_key ? { node: r.node_key ?? undefined, key: r.step_key ?? undefined, title: tr(r.step_title, lang) ?? r.step_key ?? r.node_key } : undefined,
      agency: r.agency ? { code: r.agency, name: tr(r.agency_names, lang) ?? r.agency } : undefined,
      actor: r.actor_kind === 'caseworker' ? { kind: 'caseworker', caseworker: r.actor } : { kind: r.actor_kind },
      source: { key: r.source, title: describeField(r.source, '', lang).sourceTitle },
      fields: r.fields.map((f) => {
        const d = describeField(r.source, f, lang);
        return { id: d.id, field: d.field, title: d.title };
      }),
      purpose: tr(r.purpose, lang),
      legalBasis: explainLegalBasis(r.legal_basis, lang),
      outcome: r.outcome,
      reason: r.reason ?? undefined,
    };
  }

  /**
   * Purpose limitation: a caseworker of the step's agency reads the step's data, only fields the
   * step declared. Every read is logged, granted or refused, in the transaction that answers it.
   */
  async readStepData(p: Principal, journeyId: string, nodeKey: string, fieldsParam: string, lang: Language) {
    // Who asks first: a non-caseworker is refused before anything is read or logged.
    const asker = stepDataAsker(p);
    if (asker) throw refusalProblem(asker);
    const requested = parseFieldList(fieldsParam);
    const step = await this.stepOf(journeyId, nodeKey);
    const declared = new Map((step.requirements ?? []).map((r) => [`${r.source}/${r.field}`, r]));
    const base = { subjectType: step.subject_type, subjectId: step.subject_id, journeyId, nodeKey, agency: p.agency!, stepKey: step.step_key, actor: p.sub };

    const read = stepDataRead(p, { nodeKey, agency: step.agency, declared: [...declared.keys()] }, requested);
    if (read.outcome === 'other-agency' || read.outcome === 'undeclared') await this.log.append(refusedEntries(base, requested, read.reason));
    if (read.outcome === 'other-agency' || read.outcome === 'not-a-caseworker') throw refusalProblem(read.refusal);
    if (read.outcome === 'undeclared') {
      const { undeclared } = read;
      throw new ProblemException(403, `Step '${nodeKey}' did not declare ${undeclared.map((f) => `'${f}'`).join(', ')}, so its data cannot be read here (purpose limitation). It declared: ${[...declared.keys()].join(', ') || 'no fields'}. This attempt was logged.`, {
        slug: 'undeclared-field',
        title: 'Forbidden',
        errors: undeclared.map((f) => ({ path: '/fields', message: `'${f}' is not declared by step '${nodeKey}'` })),
        extensions: { undeclared, declared: [...declared.keys()] },
      });
    }
    return this.db.transaction(async (tx) => {
      const rows = await this.stepData.ofStep(journeyId, nodeKey, requested, tx);
      const found = new Map(rows.map((r) => [`${r.source}/${r.field}`, r]));
      // Log what was disclosed, grouped as the log keeps it: one row per source, purpose and basis.
      const groups = new Map<string, { source: string; fields: string[]; req: DataRequirement }>();
      for (const id of requested) {
        if (!found.has(id)) continue;
        const req = declared.get(id)!;
        const key = JSON.stringify([req.source, req.purpose, req.legalBasis]);
        const group = groups.get(key) ?? { source: req.source, fields: [], req };
        group.fields.push(req.field);
        groups.set(key, group);
      }
      await this.log.append(
        [...groups.values()].map((g): DataAccessEntry => ({ ...base, actorKind: 'caseworker', source: g.source, fields: g.fields, purpose: g.req.purpose ?? CASEWORKER_READ, legalBasis: g.req.legalBasis, outcome: 'granted' })),
        tx,
      );
      return {
        journeyId,
        step: nodeKey,
        agency: step.agency,
        fields: requested.map((id) => {
          const { source, field } = splitFieldId(id)!;
          const row = found.get(id);
          const req = declared.get(id)!;
          return {
            ...describeField(source, field, lang),
            purpose: tr(req.purpose, lang),
            ...(row ? { origin: row.origin === 'source' ? 'prefilled' : 'asked', value: row.value, at: row.at } : { origin: 'pending' }),
          };
        }),
      };
    });
  }

  /**
   * The step as the journey runs it: its agency, and the data requirements of the step version
   * its pinned life-event version references (published versions never change).
   */
  private async stepOf(journeyId: string, nodeKey: string) {
    const step = await this.stepData.pinnedStep(journeyId, nodeKey);
    if (step) return step;
    throw notFound((await this.journeys.find(journeyId)) ? `Step '${nodeKey}' of journey ${journeyId}` : `Journey ${journeyId}`);
  }
}

/** A refused read: one row per source with the fields asked, the reason standing in for the legal basis. */
function refusedEntries(
  base: { subjectType: string; subjectId: string; journeyId: string; nodeKey: string; agency: string; stepKey: string; actor: string },
  requested: string[],
  reason: string,
): DataAccessEntry[] {
  const bySource = new Map<string, string[]>();
  for (const id of requested) {
    const { source, field } = splitFieldId(id)!;
    bySource.set(source, [...(bySource.get(source) ?? []), field]);
  }
  return [...bySource].map(([source, fields]) => ({
    ...base,
    actorKind: 'caseworker',
    source,
    fields,
    purpose: REFUSED_READ,
    legalBasis: { type: 'none', reference: reason },
    outcome: 'refused',
    reason,
  }));
}

const FIELD_ID = /^[a-z][a-z0-9-]{0,63}\/[A-Za-z0-9_.-]{1,200}$/;

/** `a/b,c/d` → distinct ids, every bad one named at once. */
export function parseFieldList(param: string): string[] {
  const ids = [...new Set(param.split(',').map((s) => s.trim()).filter(Boolean))];
  const bad = ids.filter((id) => !FIELD_ID.test(id));
  if (ids.length === 0 || bad.length || ids.length > 100) {
    throw new ProblemException(400, ids.length === 0
      ? 'Name the fields to read: ?fields=source/field,source/field (e.g. national-register/birthDate).'
      : ids.length > 100 ? 'Read at most 100 fields at once.' : `Each field is source/field, e.g. national-register/birthDate; these are not: ${bad.map((b) => `'${b}'`).join(', ')}.`, {
      slug: 'invalid-request',
      title: 'Invalid request',
      errors: (bad.length ? bad : ['']).map((b) => ({ path: '/fields', message: b ? `'${b}' is not source/field` : 'must list at least one source/field' })),
    });
  }
  return ids;
}
