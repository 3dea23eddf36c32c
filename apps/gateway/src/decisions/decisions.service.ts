import { Injectable, Logger } from '@nestjs/common';
import { WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { DataSource, type EntityManager } from 'typeorm';
import { overrideDecisionUpdate } from '@levensloop/contracts/workflow';
import {
  decisionInputAccess,
  decisionOverrideAccess,
  isSubject,
  mayReadLogs,
  readPath,
  withheldExplanation,
  type DataRequirement,
  type InputReader,
  type Language,
  type Translations,
} from '@levensloop/domain';
import { AuditLog, DataAccessLog, DecisionOverrides, Decisions, type DataAccessEntry, type DecisionRow, type DecisionView } from '@levensloop/persistence';
import type { Principal } from '../auth/principal';
import { AccessService } from '../access/access.service';
import { conflict, forbidden, notFound, ProblemException } from '../common/problem';
import { decodeCursor, describeField, encodeCursor, tr } from '../data-access/reading';
import { workflowIdOf } from '../journeys/journeys.service';
import { updateProblem, withTimeout } from '../journeys/workflow-errors';
import { TemporalService } from '../temporal/temporal.provider';
import type { AuditQuery, OverrideDecisionDto } from './decisions.dto';

const OVERRIDE_TEXT: Record<'grant' | 'deny', Translations> = {
  grant: { nl: 'Een medewerker heeft deze beslissing gewijzigd in een toekenning: {reason}', fr: 'Un collaborateur a modifié cette décision en octroi : {reason}', de: 'Ein Sachbearbeiter hat diese Entscheidung in eine Bewilligung geändert: {reason}', en: 'A caseworker changed this decision to a grant: {reason}' },
  deny: { nl: 'Een medewerker heeft deze beslissing gewijzigd in een weigering: {reason}', fr: 'Un collaborateur a modifié cette décision en refus : {reason}', de: 'Ein Sachbearbeiter hat diese Entscheidung in eine Ablehnung geändert: {reason}', en: 'A caseworker changed this decision to a refusal: {reason}' },
};

const UPDATE_TIMEOUT_MS = 20_000;

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
    private readonly decisions: Decisions,
    private readonly overrides: DecisionOverrides,
    private readonly accessLog: DataAccessLog,
    private readonly auditLog: AuditLog,
    private readonly access: AccessService,
    private readonly temporal: TemporalService,
  ) {}

  /**
   * Every decision of the journey for whoever may see it; the inputs (register values) only for
   * the deciding agency's caseworkers, the subject and their mandate holders, and auditors, each
   * disclosure written to the access log before the answer leaves.
   */
  async list(p: Principal, journeyId: string, lang: Language) {
    const journey = await this.access.visibleJourney(p, journeyId);
    const rows = await this.decisions.ofJourney(journeyId);
    const facts = { subjectId: journey.subject_id, lifeEvent: journey.life_event_key };
    const readers = await Promise.all(rows.map((r) => this.access.resolve(p, decisionInputAccess(p, facts, r.agency))));
    await this.logDisclosures(p, rows.flatMap((r, i) => (readers[i] ? [{ row: r, reader: readers[i] }] : [])));
    return { items: rows.map((r, i) => viewOf(r, lang, !!readers[i])) };
  }

  /**
   * One access-log row per decision and source of the values shown (none when a decision used no
   * register values). The subject reading their own data is not a disclosure to anyone else and
   * is not logged: their log says who else consulted it.
   */
  private async logDisclosures(p: Principal, shown: Array<{ row: DecisionView; reader: InputReader }>) {
    const entries = shown.flatMap(({ row, reader }): DataAccessEntry[] => {
      if (reader === 'citizen' && isSubject(p, row.subject_id)) return [];
      const bySource = new Map<string, string[]>();
      for (const f of rawInputFields(row.inputs, row.requirements)) bySource.set(f.source, [...new Set([...(bySource.get(f.source) ?? []), f.field])]);
      return [...bySource].map(([source, fields]) => {
        const declared = (row.requirements ?? []).find((r) => r.source === source && fields.includes(r.field));
        const basis = reader === 'caseworker' ? declared?.legalBasis ?? { type: 'law', reference: `the legal basis of step ${row.step_key}` } : reader === 'citizen' ? RIGHT_OF_ACCESS : ACCOUNTABILITY;
        return {
          subjectType: row.subject_type,
          subjectId: row.subject_id,
          journeyId: row.journey_id,
          nodeKey: row.node_key,
          agency: row.agency,
          stepKey: row.step_key,
          actor: p.sub,
          actorKind: reader,
          source,
          fields,
          purpose: DISCLOSURE_PURPOSE[reader],
          legalBasis: basis,
          outcome: 'granted',
        };
      });
    });
    await this.accessLog.append(entries);
  }

  /**
   * Records the override (the gateway's `decision_overrides`) and its audit row in one
   * transaction, then tells the journey. A retry with the same outcome and reason answers the same
   * record and tells the journey again (its handler is idempotent); the journey refusing takes
   * the override back, audited as well. A journey that has finished (or that Temporal no longer
   * has) keeps the recorded override as its decision.
   */
  async override(p: Principal, journeyId: string, nodeKey: string, dto: OverrideDecisionDto, lang: Language) {
    const journey = await this.access.visibleJourney(p, journeyId);
    const decidingAgency = await this.decisions.agencyOf(journeyId, nodeKey);
    if (!decidingAgency) throw notFound(`A decision of step '${nodeKey}' in journey ${journeyId}`);
    await this.access.resolve(p, decisionOverrideAccess(p, decidingAgency));
    const reason = dto.reason.trim();
    await this.db.transaction(async (tx) => {
      const row = (await this.decisions.current(tx, journeyId, nodeKey))!;
      if (isRetry(row, dto.outcome, reason)) return;
      if (row.outcome === dto.outcome) throw conflict(`The decision already is '${row.outcome}'; an override must change the outcome.`, 'same-outcome');
      if (!(await this.overrides.record(journeyId, nodeKey, { outcome: dto.outcome, reason, by: p.sub }, tx))) {
        // Another override came first (or this one, sent twice at once): it answers as it would have.
        if (isRetry((await this.decisions.current(tx, journeyId, nodeKey))!, dto.outcome, reason)) return;
      }
      await this.appendAudit(tx, p.sub, 'decision.overridden', `${journeyId}/${nodeKey}`, {
        journeyId, node: nodeKey, agency: row.agency, rule: { id: row.rule_id, version: row.rule_version }, from: row.outcome, to: dto.outcome, reason,
      });
    });

    let appliedToJourney = false;
    // A completed journey may still run: one held open while an objection term runs takes the
    // override (and re-runs what depended on the decision); one that closed answers "completed".
    if (journey.status !== 'cancelled') {
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
    const row = (await this.decisions.view(journeyId, nodeKey))!;
    // The overriding caseworker is of the deciding agency: the answer shows the inputs, logged.
    await this.logDisclosures(p, [{ row, reader: 'caseworker' }]);
    return { ...viewOf(row, lang, true), appliedToJourney };
  }

  private async revert(p: Principal, journeyId: string, nodeKey: string, outcome: string, reason: string, cause: string) {
    await this.db.transaction(async (tx) => {
      const reverted = await this.overrides.revert(journeyId, nodeKey, outcome, reason, tx);
      if (reverted) await this.appendAudit(tx, p.sub, 'decision.override_reverted', `${journeyId}/${nodeKey}`, { journeyId, node: nodeKey, outcome, reason, cause });
    });
    this.logger.warn(`Override of ${journeyId}/${nodeKey} refused by the journey: ${cause}`);
  }

  /** The audit log for auditors (separation of duties: not for catalog admins), newest first, keyset-paginated. */
  async audit(p: Principal, q: AuditQuery) {
    if (!mayReadLogs(p)) throw forbidden('The audit log is for auditors.');
    const limit = q.limit ?? 50;
    const rows = await this.auditLog.page({
      target: q.target,
      targetType: q.targetType,
      action: q.action,
      actor: q.actor,
      after: q.cursor ? decodeCursor(q.cursor) : undefined,
      limit,
    });
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return {
      items: page.map((r) => ({ id: r.id, at: r.at, actor: r.actor, action: r.action, target: { type: r.target_type, id: r.target_id }, detail: r.detail ?? undefined })),
      nextCursor: rows.length > limit && last ? encodeCursor(last.at_key, last.id) : undefined,
    };
  }

  private async appendAudit(tx: EntityManager, actor: string, action: string, targetId: string, detail: Record<string, unknown>) {
    await this.auditLog.append({ actor, action, targetType: 'decision', targetId, detail }, tx);
  }
}

/**
 * Whether the decision already holds this very override (a retry: true); one that holds another
 * (an override, or a caseworker's decision of a referral) is not overridden twice (409).
 */
function isRetry(row: DecisionRow, outcome: string, reason: string): boolean {
  if (!row.override_outcome) return false;
  if (row.override_outcome === outcome && row.override_reason === reason) return true;
  throw conflict(`This decision was already overridden to '${row.override_outcome}' by ${row.overridden_by} (${row.override_reason}); it is not overridden twice.`, 'already-overridden');
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
function viewOf(r: DecisionView, lang: Language, withInputs: boolean) {
  return {
    journeyId: r.journey_id,
    node: r.node_key,
    subject: { type: r.subject_type, id: r.subject_id },
    agency: { code: r.agency, name: tr(r.agency_names, lang) ?? r.agency },
    step: { key: r.step_key, version: r.step_version, title: tr(r.step_title, lang) ?? r.step_key },
    rule: { id: r.rule_id, version: r.rule_version },
    /** What holds now: an objection's revision, else the override if any, else the rule's outcome. */
    outcome: r.revised_outcome ?? r.override_outcome ?? r.outcome,
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
