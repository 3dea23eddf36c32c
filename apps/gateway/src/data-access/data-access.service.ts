import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { DataRequirement, Language, Translations } from '@levensloop/domain';
import { hasRole, type Principal } from '../auth/principal';
import { forbidden, notFound, ProblemException } from '../common/problem';
import { canSeeJourney } from '../journeys/journey-access';
import { mandateCoversSql, MandatesService, ownIds, type SubjectRelation } from '../mandates/mandates.service';
import type { DataAccessQuery, JourneyDataAccessQuery, MyDataAccessQuery } from './data-access.dto';
import { decodeCursor, describeField, encodeCursor, explainLegalBasis, isUuid, splitFieldId, tr } from './reading';

interface LogRow {
  id: string;
  at: Date;
  at_key: string;
  subject_type: string;
  subject_id: string;
  journey_id: string | null;
  node_key: string | null;
  agency: string | null;
  step_key: string | null;
  actor: string;
  actor_kind: string;
  source: string;
  fields: string[];
  purpose: Translations;
  legal_basis: { type: string; reference: string };
  outcome: string;
  reason: string | null;
  journey_title: Translations | null;
  step_title: Translations | null;
  agency_names: Translations | null;
}

/** Full-precision keyset value: JavaScript dates lose PostgreSQL's microseconds. */
const AT_KEY = `to_char(l.at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS at_key`;

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
    return this.page(
      q,
      lang,
      [`(l.subject_id = ANY(?) OR (l.subject_id = ANY(?) AND EXISTS (SELECT 1 FROM mandates m WHERE m.holder_id = ANY(?) AND m.subject_id = l.subject_id AND ${mandateCoversSql('j.life_event_key', 'read', 'm')})))`],
      [own, represented, ownIds(p)],
      subjects,
    );
  }

  /** The whole log, for auditors only (separation of duties: catalog admins do not read personal data). */
  async all(p: Principal, q: DataAccessQuery, lang: Language) {
    if (!hasRole(p, 'auditor')) throw forbidden('The full data-access log is for auditors; citizens read theirs at /me/data-access.');
    const where: string[] = [];
    const params: unknown[] = [];
    const add = (sql: string, value: unknown) => {
      where.push(sql);
      params.push(value);
    };
    if (q.subject) add('l.subject_id = ?', q.subject);
    if (q.agency) add('l.agency = ?', q.agency);
    return this.page(q, lang, where, params);
  }

  /**
   * One journey's entries, for whoever may see the journey (the rule of GET /journeys/{id}): its
   * subject and their mandate holders, caseworkers of an agency with a step in it, and auditors.
   * Anyone else gets the same 404 as for a journey that does not exist.
   */
  async ofJourney(p: Principal, journeyId: string, q: JourneyDataAccessQuery, lang: Language) {
    const rows: Array<{ subject_id: string; agencies: string[]; life_event_key: string }> = isUuid(journeyId) ? await this.db.query(`SELECT subject_id, agencies, life_event_key FROM journeys WHERE id = $1`, [journeyId]) : [];
    if (!rows[0] || !(await canSeeJourney(p, { subjectId: rows[0].subject_id, agencies: rows[0].agencies, lifeEvent: rows[0].life_event_key }, this.mandates))) throw notFound(`Journey ${journeyId}`);
    const subjects = hasRole(p, 'citizen') ? await this.mandates.subjectsFor(p) : undefined;
    return this.page({ ...q, journey: journeyId }, lang, [], [], subjects);
  }

  private async page(q: MyDataAccessQuery, lang: Language, baseWhere: string[], baseParams: unknown[], subjects?: Map<string, SubjectRelation>) {
    const where = [...baseWhere];
    const params = [...baseParams];
    const add = (sql: string, value: unknown) => {
      where.push(sql);
      params.push(value);
    };
    if (q.journey) add('l.journey_id = ?', q.journey);
    if (q.outcome) add('l.outcome = ?', q.outcome);
    // A register read is logged as requested, then its outcome: the outcome stands for it.
    where.push(`NOT (l.outcome = 'requested' AND EXISTS (SELECT 1 FROM data_access_log o WHERE o.request_id = l.id))`);
    if (q.cursor) {
      const c = decodeCursor(q.cursor);
      where.push('(l.at, l.id) < (?::timestamptz, ?::bigint)');
      params.push(c.at, c.id);
    }
    const limit = q.limit ?? 50;
    params.push(limit + 1);
    let n = 0;
    const sql = `
      SELECT l.*, ${AT_KEY}, j.title AS journey_title, s.title AS step_title, a.names AS agency_names
        FROM data_access_log l
        LEFT JOIN journeys j ON j.id = l.journey_id
        LEFT JOIN journey_steps s ON s.journey_id = l.journey_id AND s.node_key = l.node_key
        LEFT JOIN agencies a ON a.code = l.agency
       ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
       ORDER BY l.at DESC, l.id DESC
       LIMIT ?`.replace(/\?/g, () => `$${++n}`);
    const rows: LogRow[] = await this.db.query(sql, params);
    const pageRows = rows.slice(0, limit);
    const last = pageRows[pageRows.length - 1];
    return {
      items: pageRows.map((r) => this.entryOf(r, lang, subjects)),
      nextCursor: rows.length > limit && last ? encodeCursor(last.at_key, last.id) : undefined,
    };
  }

  private entryOf(r: LogRow, lang: Language, subjects?: Map<string, SubjectRelation>) {
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
    if (!hasRole(p, 'caseworker') || !p.agency) throw forbidden("Reading a step's data is for caseworkers of the step's agency.");
    const requested = parseFieldList(fieldsParam);
    const step = await this.stepOf(journeyId, nodeKey);
    const declared = new Map((step.requirements ?? []).map((r) => [`${r.source}/${r.field}`, r]));
    const base = { subjectType: step.subject_type, subjectId: step.subject_id, journeyId, nodeKey, agency: p.agency, stepKey: step.step_key, actor: p.sub };

    if (p.agency !== step.agency) {
      const reason = `agency '${p.agency}' is not the agency of step '${nodeKey}' (${step.agency})`;
      await this.db.transaction((tx) => this.logRefused(tx, base, requested, reason));
      throw forbidden(`Only caseworkers of ${step.agency} read the data of step '${nodeKey}'; you work for ${p.agency}. This attempt was logged.`);
    }
    const undeclared = requested.filter((id) => !declared.has(id));
    if (undeclared.length) {
      const reason = `not declared by step '${nodeKey}': ${undeclared.join(', ')}`;
      await this.db.transaction((tx) => this.logRefused(tx, base, requested, reason));
      throw new ProblemException(403, `Step '${nodeKey}' did not declare ${undeclared.map((f) => `'${f}'`).join(', ')}, so its data cannot be read here (purpose limitation). It declared: ${[...declared.keys()].join(', ') || 'no fields'}. This attempt was logged.`, {
        slug: 'undeclared-field',
        title: 'Forbidden',
        errors: undeclared.map((f) => ({ path: '/fields', message: `'${f}' is not declared by step '${nodeKey}'` })),
        extensions: { undeclared, declared: [...declared.keys()] },
      });
    }
    return this.db.transaction(async (tx) => {
      const rows: Array<{ source: string; field: string; origin: string; value: unknown; at: Date }> = await tx.query(
        `SELECT source, field, origin, value, at FROM journey_data_fields
          WHERE journey_id = $1 AND node_key = $2 AND (source || '/' || field) = ANY($3)`,
        [journeyId, nodeKey, requested],
      );
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
      for (const g of groups.values()) {
        await tx.query(
          `INSERT INTO data_access_log (subject_type, subject_id, journey_id, node_key, agency, step_key, actor, actor_kind, source, fields, purpose, legal_basis, outcome)
           VALUES ($1, $2, $3, $4, $5, $6, $7, 'caseworker', $8, $9, $10, $11, 'granted')`,
          [base.subjectType, base.subjectId, journeyId, nodeKey, base.agency, base.stepKey, base.actor, g.source, g.fields,
            JSON.stringify(g.req.purpose ?? CASEWORKER_READ), JSON.stringify(g.req.legalBasis)],
        );
      }
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

  private async logRefused(
    tx: { query: DataSource['query'] },
    base: { subjectType: string; subjectId: string; journeyId: string; nodeKey: string; agency: string; stepKey: string; actor: string },
    requested: string[],
    reason: string,
  ) {
    const bySource = new Map<string, string[]>();
    for (const id of requested) {
      const { source, field } = splitFieldId(id)!;
      bySource.set(source, [...(bySource.get(source) ?? []), field]);
    }
    for (const [source, fields] of bySource) {
      await tx.query(
        `INSERT INTO data_access_log (subject_type, subject_id, journey_id, node_key, agency, step_key, actor, actor_kind, source, fields, purpose, legal_basis, outcome, reason)
         VALUES ($1, $2, $3, $4, $5, $6, $7, 'caseworker', $8, $9, $10, $11, 'refused', $12)`,
        [base.subjectType, base.subjectId, base.journeyId, base.nodeKey, base.agency, base.stepKey, base.actor, source, fields,
          JSON.stringify(REFUSED_READ), JSON.stringify({ type: 'none', reference: reason }), reason],
      );
    }
  }

  /**
   * The step as the journey runs it: its agency, and the data requirements of the step version
   * its pinned life-event version references (published versions never change).
   */
  private async stepOf(journeyId: string, nodeKey: string) {
    if (!isUuid(journeyId)) throw notFound(`Journey ${journeyId}`);
    const rows: Array<{ subject_type: string; subject_id: string; agency: string; step_key: string; requirements: DataRequirement[] | null }> = await this.db.query(
      `SELECT j.subject_type, j.subject_id, n.node->'step'->>'agency' AS agency, n.node->'step'->>'key' AS step_key,
              s.definition->'dataRequirements' AS requirements
         FROM journeys j
         JOIN life_events le ON le.key = j.life_event_key AND le.version = j.life_event_version
         CROSS JOIN LATERAL jsonb_array_elements(le.definition->'nodes') AS n(node)
         LEFT JOIN service_steps s ON s.agency = n.node->'step'->>'agency' AND s.key = n.node->'step'->>'key'
                                  AND s.version = (n.node->'step'->>'version')::int
        WHERE j.id = $1 AND n.node->>'key' = $2`,
      [journeyId, nodeKey],
    );
    if (!rows[0]) {
      const journey: unknown[] = await this.db.query(`SELECT 1 FROM journeys WHERE id = $1`, [journeyId]);
      throw notFound(journey.length ? `Step '${nodeKey}' of journey ${journeyId}` : `Journey ${journeyId}`);
    }
    return rows[0];
  }
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
