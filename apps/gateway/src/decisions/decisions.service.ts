import { Injectable, Logger } from '@nestjs/common';
import { WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { DataSource, type EntityManager } from 'typeorm';
import { overrideDecisionUpdate } from '@levensloop/contracts/workflow';
import { readPath, withheldExplanation, type DataRequirement, type DecisionRule, type Language, type Translations } from '@levensloop/domain';
import { appendAudit, queryRows } from '@levensloop/persistence';
import { hasRole, type Principal } from '../auth/principal';
import { conflict, forbidden, notFound, ProblemException } from '../common/problem';
import { decodeCursor, describeField, encodeCursor, isUuid, tr } from '../data-access/reading';
import { canSeeJourney, isSubject } from '../journeys/journey-access';
import { workflowIdOf } from '../journeys/journeys.service';
import { updateProblem, withTimeout } from '../journeys/workflow-errors';
import { MandatesService } from '../mandates/mandates.service';
import { TemporalService } from '../temporal/temporal.provider';
import type { AuditQuery, OverrideDecisionDto } from './decisions.dto';

interface DecisionRow {
  journey_id: string;
  node_key: string;
  subject_type: string;
  subject_id: string;
  agency: string;
  step_key: string;
  step_version: number;
  rule_id: string;
  rule_version: number;
  inputs: Record<string, unknown>;
  outcome: string;
  branch: number;
  explanation: Translations;
  decided_at: Date;
  override_outcome: 'grant' | 'deny' | null;
  override_reason: string | null;
  overridden_by: string | null;
  overridden_at: Date | null;
  step_title?: Translations | null;
  agency_names?: Translations | null;
  requirements?: DataRequirement[] | null;
  /** The rule as the step's version defines it (its explanation texts with placeholders). */
  rule?: DecisionRule | null;
}

const DECISION_SELECT = `
  SELECT d.*, js.title AS step_title, a.names AS agency_names, st.definition->'dataRequirements' AS requirements, st.definition->'rule' AS rule
    FROM decisions d
    LEFT JOIN journey_steps js ON js.journey_id = d.journey_id AND js.node_key = d.node_key
    LEFT JOIN agencies a ON a.code = d.agency
    LEFT JOIN service_steps st ON st.agency = d.agency AND st.key = d.step_key AND st.version = d.step_version`;

const OVERRIDE_TEXT: Record<'grant' | 'deny', Translations> = {
  grant: { nl: 'Een medewerker heeft deze beslissing gewijzigd in een toekenning: {reason}', fr: 'Un collaborateur a modifié cette décision en octroi : {reason}', de: 'Ein Sachbearbeiter hat diese Entscheidung in eine Bewilligung geändert: {reason}', en: 'A caseworker changed this decision to a grant: {reason}' },
  deny: { nl: 'Een medewerker heeft deze beslissing gewijzigd in een weigering: {reason}', fr: 'Un collaborateur a modifié cette décision en refus : {reason}', de: 'Ein Sachbearbeiter hat diese Entscheidung in eine Ablehnung geändert: {reason}', en: 'A caseworker changed this decision to a refusal: {reason}' },
};

const UPDATE_TIMEOUT_MS = 20_000;

/** Who sees a decision's inputs (the register values it used), as logged in the access log's actor_kind. */
type InputReader = 'caseworker' | 'citizen' | 'auditor';

/** Why the inputs were shown, per reader, as the access log keeps it. */
const DISCLOSURE_PURPOSE: Record<InputReader, Translations> = {
  caseworker: {
    nl: 'Inzage door een medewerker van de beslissende instantie in de gegevens waarop een beslissing steunt',
    fr: "Consultation par un collaborateur de l'organisme qui décide des données sur lesquelles repose une décision",
    de: 'Einsicht eines Sachbearbeiters der entscheidenden Stelle in die Daten, auf denen eine Entscheidung beruht',
    en: 'A caseworker of the deciding agency read the data a decision rests on',
  },
  citizen: {
    nl: 'Inzage door de betrokkene (of wie hem of haar vertegenwoordigt) in de gegevens waarop een beslissing steunt',
    fr: 'Consultation par la personne concernée (ou son représentant) des données sur lesquelles repose une décision',
    de: 'Einsicht der betroffenen Person (oder ihres Vertreters) in die Daten, auf denen eine Entscheidung beruht',
    en: 'The person concerned (or whoever represents them) read the data a decision rests on',
  },
  auditor: {
    nl: 'Controle door een auditor van de gegevens waarop een beslissing steunt',
    fr: "Contrôle par un auditeur des données sur lesquelles repose une décision",
    de: 'Prüfung der Daten, auf denen eine Entscheidung beruht, durch einen Auditor',
    en: 'An auditor checked the data a decision rests on',
  },
};
const RIGHT_OF_ACCESS = { type: 'law', reference: 'AVG/GDPR art. 15 (recht op inzage)' };
const ACCOUNTABILITY = { type: 'law', reference: 'AVG/GDPR art. 5.2 en 30 (verantwoording, toezicht)' };

/**
 * Explainable decisions: each automatic decision with its inputs, rule and rule version, in the
 * reader's language; caseworkers of the deciding agency override with a reason (audited).
 */
@Injectable()
export class DecisionsService {
  private readonly logger = new Logger('Decisions');

  constructor(
    private readonly db: DataSource,
    private readonly temporal: TemporalService,
    private readonly mandates: MandatesService,
  ) {}

  /**
   * Every decision of the journey for whoever may see it; the inputs (register values) only for
   * the deciding agency's caseworkers, the subject and their mandate holders, and auditors, each
   * disclosure written to the access log before the answer leaves.
   */
  async list(p: Principal, journeyId: string, lang: Language) {
    const journey = await this.requireVisibleJourney(p, journeyId);
    const rows: DecisionRow[] = await this.db.query(`${DECISION_SELECT} WHERE d.journey_id = $1 ORDER BY d.decided_at, d.node_key`, [journeyId]);
    const readers = await Promise.all(rows.map((r) => this.inputReader(p, journey, r.agency)));
    await this.logDisclosures(p, rows.flatMap((r, i) => (readers[i] ? [{ row: r, reader: readers[i] }] : [])));
    return { items: rows.map((r, i) => viewOf(r, lang, !!readers[i])) };
  }

  /** Whether (and as whom) the principal sees the inputs of a decision by `agency`. */
  private async inputReader(p: Principal, journey: { subject_id: string; life_event_key: string }, agency: string): Promise<InputReader | undefined> {
    if (hasRole(p, 'caseworker') && p.agency === agency) return 'caseworker';
    if (hasRole(p, 'auditor')) return 'auditor';
    if (hasRole(p, 'citizen') && (await this.mandates.mayActFor(p, journey.subject_id, { lifeEvent: journey.life_event_key, access: 'read' }))) return 'citizen';
    return undefined;
  }

  /**
   * One access-log row per decision and source of the values shown (none when a decision used no
   * register values). The subject reading their own data is not a disclosure to anyone else and
   * is not logged: their log says who else consulted it.
   */
  private async logDisclosures(p: Principal, shown: Array<{ row: DecisionRow; reader: InputReader }>) {
    const entries = shown.flatMap(({ row, reader }) => {
      if (reader === 'citizen' && isSubject(p, row.subject_id)) return [];
      const bySource = new Map<string, string[]>();
      for (const f of rawInputFields(row.inputs, row.requirements)) bySource.set(f.source, [...new Set([...(bySource.get(f.source) ?? []), f.field])]);
      return [...bySource].map(([source, fields]) => {
        const declared = (row.requirements ?? []).find((r) => r.source === source && fields.includes(r.field));
        const basis = reader === 'caseworker' ? declared?.legalBasis ?? { type: 'law', reference: `the legal basis of step ${row.step_key}` } : reader === 'citizen' ? RIGHT_OF_ACCESS : ACCOUNTABILITY;
        return [row.subject_type, row.subject_id, row.journey_id, row.node_key, row.agency, row.step_key, p.sub, reader, source, fields, JSON.stringify(DISCLOSURE_PURPOSE[reader]), JSON.stringify(basis)];
      });
    });
    if (!entries.length) return;
    const column = (i: number) => entries.map((e) => e[i]);
    await this.db.query(
      `INSERT INTO data_access_log (subject_type, subject_id, journey_id, node_key, agency, step_key, actor, actor_kind, source, fields, purpose, legal_basis, outcome)
       SELECT e.subject_type, e.subject_id, e.journey_id, e.node_key, e.agency, e.step_key, e.actor, e.actor_kind, e.source,
              ARRAY(SELECT jsonb_array_elements_text(e.fields)), e.purpose, e.legal_basis, 'granted'
         FROM unnest($1::text[], $2::text[], $3::uuid[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::jsonb[], $11::jsonb[], $12::jsonb[])
              AS e(subject_type, subject_id, journey_id, node_key, agency, step_key, actor, actor_kind, source, fields, purpose, legal_basis)`,
      [column(0), column(1), column(2), column(3), column(4), column(5), column(6), column(7), column(8), column(9).map((f) => JSON.stringify(f)), column(10), column(11)],
    );
  }

  /**
   * Records the override and its audit row in one transaction, then tells the journey. A retry
   * with the same outcome and reason answers the same record and tells the journey again (its
   * handler is idempotent); the journey refusing undoes the override, audited as well.
   */
  async override(p: Principal, journeyId: string, nodeKey: string, dto: OverrideDecisionDto, lang: Language) {
    const journey = await this.requireVisibleJourney(p, journeyId);
    const existing: DecisionRow[] = await this.db.query(`SELECT agency FROM decisions WHERE journey_id = $1 AND node_key = $2`, [journeyId, nodeKey]);
    if (!existing[0]) throw notFound(`A decision of step '${nodeKey}' in journey ${journeyId}`);
    if (!hasRole(p, 'caseworker') || p.agency !== existing[0].agency) {
      throw forbidden(`Only a caseworker of ${existing[0].agency}, the deciding agency, may override this decision.`);
    }
    const reason = dto.reason.trim();
    await this.db.transaction(async (tx) => {
      const [row] = (await tx.query(`SELECT * FROM decisions WHERE journey_id = $1 AND node_key = $2 FOR UPDATE`, [journeyId, nodeKey])) as DecisionRow[];
      if (row.override_outcome) {
        if (row.override_outcome === dto.outcome && row.override_reason === reason) return; // a retry
        throw conflict(`This decision was already overridden to '${row.override_outcome}' by ${row.overridden_by} (${row.override_reason}); it is not overridden twice.`, 'already-overridden');
      }
      if (row.outcome === dto.outcome) throw conflict(`The decision already is '${row.outcome}'; an override must change the outcome.`, 'same-outcome');
      await queryRows(tx, `UPDATE decisions SET override_outcome = $3, override_reason = $4, overridden_by = $5, overridden_at = now() WHERE journey_id = $1 AND node_key = $2`,
        [journeyId, nodeKey, dto.outcome, reason, p.sub]);
      await audit(tx, p.sub, 'decision.overridden', `${journeyId}/${nodeKey}`, {
        journeyId, node: nodeKey, agency: row.agency, rule: { id: row.rule_id, version: row.rule_version }, from: row.outcome, to: dto.outcome, reason,
      });
    });

    let appliedToJourney = false;
    if (journey.status !== 'completed' && journey.status !== 'cancelled') {
      try {
        await withTimeout(
          this.temporal.client.workflow.getHandle(workflowIdOf(journeyId)).executeUpdate(overrideDecisionUpdate, { args: [{ nodeKey, outcome: dto.outcome, reason, by: p.sub }] }),
          UPDATE_TIMEOUT_MS,
        );
        appliedToJourney = true;
      } catch (err) {
        if (err instanceof WorkflowUpdateFailedError) {
          // The journey refused (e.g. the decision is not final yet): leave no override it does not know of.
          const cause = (err.cause as { message?: string } | undefined)?.message ?? 'the journey refused the override';
          await this.revert(p, journeyId, nodeKey, dto.outcome, reason, cause);
          throw new ProblemException(409, `The journey refused the override: ${cause} The override was not kept.`, { slug: 'refused-by-journey' });
        }
        const closed = err instanceof WorkflowNotFoundError || /not found|already completed/i.test(String((err as Error)?.message));
        // A finished journey has nothing left to change: the recorded override is the decision now.
        if (!closed) throw withRetryHint(updateProblem(err));
      }
    }
    const [row] = (await this.db.query(`${DECISION_SELECT} WHERE d.journey_id = $1 AND d.node_key = $2`, [journeyId, nodeKey])) as DecisionRow[];
    // The overriding caseworker is of the deciding agency: the answer shows the inputs, logged.
    await this.logDisclosures(p, [{ row, reader: 'caseworker' }]);
    return { ...viewOf(row, lang, true), appliedToJourney };
  }

  private async revert(p: Principal, journeyId: string, nodeKey: string, outcome: string, reason: string, cause: string) {
    await this.db.transaction(async (tx) => {
      const reverted = await queryRows(tx,
        `UPDATE decisions SET override_outcome = NULL, override_reason = NULL, overridden_by = NULL, overridden_at = NULL
          WHERE journey_id = $1 AND node_key = $2 AND override_outcome = $3 AND override_reason = $4 RETURNING node_key`,
        [journeyId, nodeKey, outcome, reason],
      );
      if (reverted.length) await audit(tx, p.sub, 'decision.override_reverted', `${journeyId}/${nodeKey}`, { journeyId, node: nodeKey, outcome, reason, cause });
    });
    this.logger.warn(`Override of ${journeyId}/${nodeKey} refused by the journey: ${cause}`);
  }

  /** The audit log for auditors (separation of duties: not for catalog admins), newest first, keyset-paginated. */
  async audit(p: Principal, q: AuditQuery) {
    if (!hasRole(p, 'auditor')) throw forbidden('The audit log is for auditors.');
    const where: string[] = [];
    const params: unknown[] = [];
    const add = (sql: string, ...values: unknown[]) => {
      let s = sql;
      for (const v of values) {
        params.push(v);
        s = s.replace('?', `$${params.length}`);
      }
      where.push(s);
    };
    // A journey id also finds what happened to its decisions (targets `<journey>/<node>`).
    if (q.target) add(`(target_id = ? OR target_id LIKE ? ESCAPE '\\')`, q.target, `${q.target.replace(/[\\%_]/g, (c) => `\\${c}`)}/%`);
    if (q.targetType) add('target_type = ?', q.targetType);
    if (q.action) add('action = ?', q.action);
    if (q.actor) add('actor = ?', q.actor);
    if (q.cursor) {
      const c = decodeCursor(q.cursor);
      add('(at, id) < (?::timestamptz, ?::bigint)', c.at, c.id);
    }
    const limit = q.limit ?? 50;
    params.push(limit + 1);
    const rows: Array<Record<string, any>> = await this.db.query(
      `SELECT *, to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS at_key FROM audit_log
        ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY at DESC, id DESC LIMIT $${params.length}`,
      params,
    );
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return {
      items: page.map((r) => ({ id: r.id, at: r.at, actor: r.actor, action: r.action, target: { type: r.target_type, id: r.target_id }, detail: r.detail ?? undefined })),
      nextCursor: rows.length > limit && last ? encodeCursor(last.at_key, last.id) : undefined,
    };
  }

  private async requireVisibleJourney(p: Principal, journeyId: string) {
    const rows: Array<{ subject_id: string; agencies: string[]; status: string; life_event_key: string }> = isUuid(journeyId)
      ? await this.db.query(`SELECT subject_id, agencies, status, life_event_key FROM journeys WHERE id = $1`, [journeyId])
      : [];
    if (!rows[0] || !(await canSeeJourney(p, { subjectId: rows[0].subject_id, agencies: rows[0].agencies, lifeEvent: rows[0].life_event_key }, this.mandates))) throw notFound(`Journey ${journeyId}`);
    return rows[0];
  }
}

async function audit(tx: EntityManager, actor: string, action: string, targetId: string, detail: Record<string, unknown>) {
  await appendAudit(tx, { actor, action, targetType: 'decision', targetId, detail });
}

function withRetryHint(err: Error): Error {
  if (err instanceof ProblemException && err.getStatus() === 503) {
    return new ProblemException(503, 'The override is recorded, but the journey engine did not confirm it in time; send the same override again to deliver it.', { slug: 'engine-busy' });
  }
  return err;
}

/** The register values a decision used, as the worker stored them (`fields: [{ source, field, value, origin }]`, or by source). */
function rawInputFields(inputs: Record<string, unknown>, requirements: DataRequirement[] | null | undefined): Array<{ source: string; field: string; value: unknown; origin?: string }> {
  const raw = inputs?.fields;
  if (Array.isArray(raw)) return raw.filter((f) => f && typeof f.source === 'string' && typeof f.field === 'string');
  if (raw && typeof raw === 'object') {
    // `fields[source][field path]`, as a decision rule reads them.
    const bySource = raw as Record<string, unknown>;
    const declared = requirements ?? Object.entries(bySource).flatMap(([source, v]) => Object.keys((v as object) ?? {}).map((field) => ({ source, field })));
    return declared.map((r) => {
      const values = bySource[r.source] as Record<string, unknown> | undefined;
      return { source: r.source, field: r.field, value: values?.[r.field] ?? readPath(values, r.field) };
    });
  }
  return [];
}

/** The inputs with titles. */
function inputsOf(inputs: Record<string, unknown>, requirements: DataRequirement[] | null | undefined, lang: Language) {
  const fields = rawInputFields(inputs, requirements);
  return {
    fields: fields.map((f) => ({
      ...describeField(f.source, f.field, lang),
      value: f.value,
      ...(f.origin ? { origin: f.origin === 'source' ? 'prefilled' : f.origin === 'citizen' ? 'asked' : f.origin } : {}),
    })),
    data: inputs?.data ?? undefined,
    ...(inputs?.error ? { error: inputs.error } : {}),
  };
}

/** `withInputs`: the reader may see the register values the decision used (else they are left out). */
function viewOf(r: DecisionRow, lang: Language, withInputs: boolean) {
  return {
    journeyId: r.journey_id,
    node: r.node_key,
    subject: { type: r.subject_type, id: r.subject_id },
    agency: { code: r.agency, name: tr(r.agency_names, lang) ?? r.agency },
    step: { key: r.step_key, version: r.step_version, title: tr(r.step_title, lang) ?? r.step_key },
    rule: { id: r.rule_id, version: r.rule_version },
    /** What holds now: the override if any, else the rule's outcome. */
    outcome: r.override_outcome ?? r.outcome,
    // The filled explanation quotes the inputs; without them, the rule's text with the values withheld.
    decided: {
      outcome: r.outcome,
      branch: r.branch,
      explanation: tr(withInputs ? r.explanation : withheldExplanation(r.rule, { ruleId: r.rule_id, ruleVersion: r.rule_version, branch: r.branch, error: r.inputs?.error }), lang),
      at: r.decided_at,
    },
    ...(withInputs ? { inputs: inputsOf(r.inputs, r.requirements, lang) } : {}),
    override: r.override_outcome
      ? {
          outcome: r.override_outcome,
          reason: r.override_reason,
          by: r.overridden_by,
          at: r.overridden_at,
          explanation: tr(OVERRIDE_TEXT[r.override_outcome], lang)!.replace('{reason}', r.override_reason ?? ''),
        }
      : undefined,
  };
}
