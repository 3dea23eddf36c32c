import { Injectable, Logger } from '@nestjs/common';
import { WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { DataSource, type EntityManager } from 'typeorm';
import { fileObjectionUpdate, reviewObjectionUpdate } from '@levensloop/contracts/workflow';
import {
  fourEyesMessage,
  objectionFilingAccess,
  objectionReviewAccess,
  appealAgencyOf,
  appealTermEnd,
  objectionTermEnd,
  termEndedMessage,
  type Language,
  type Translations,
} from '@levensloop/domain';
import { AuditLog, DecisionAppeals, DecisionObjections, type AppealRow, type ObjectableDecision, type ObjectionRow } from '@levensloop/persistence';
import type { Principal } from '../auth/principal';
import { AccessService } from '../access/access.service';
import { conflict, forbidden, invalid, notFound, ProblemException } from '../common/problem';
import { tr } from '../data-access/reading';
import { workflowIdOf } from '../journeys/journeys.service';
import { updateProblem, withTimeout } from '../journeys/workflow-errors';
import { TemporalService } from '../temporal/temporal.provider';
import type { FileObjectionDto, ReviewObjectionDto } from './objections.dto';
import { appealView } from './appeals.service';

const UPDATE_TIMEOUT_MS = 20_000;

/**
 * Objection and appeal: the subject (or whoever acts for them) objects to a final decision within
 * its term; a caseworker of the reviewing agency, not the one who decided, upholds or revises it.
 * Recorded with its audit row (`decision_objections`, the gateway's), then the journey is told; a
 * refusal of the journey takes the record back, audited as well.
 */
@Injectable()
export class ObjectionsService {
  private readonly logger = new Logger('Objections');

  constructor(
    private readonly db: DataSource,
    private readonly objections: DecisionObjections,
    private readonly auditLog: AuditLog,
    private readonly access: AccessService,
    private readonly temporal: TemporalService,
    private readonly appeals: DecisionAppeals,
  ) {}

  /** Per decision of the journey: whether it can be objected to, until when, and its objection if any. */
  async list(p: Principal, journeyId: string, lang: Language) {
    await this.access.visibleJourney(p, journeyId);
    const [decisions, rows, appealRows] = await Promise.all([this.objections.objectableOfJourney(journeyId), this.objections.ofJourney(journeyId), this.appeals.ofJourney(journeyId)]);
    const byNode = new Map(rows.map((r) => [r.node_key, r]));
    const appealOf = new Map(appealRows.map((r) => [r.node_key, r]));
    return {
      items: decisions.map((d) => {
        const row = byNode.get(d.node_key);
        const termEndsAt = row ? row.term_ends_at.toISOString() : termEndOf(d);
        return {
          node: d.node_key,
          rule: { id: d.rule_id, version: d.rule_version },
          term: d.policy?.term ?? null,
          termEndsAt: termEndsAt ?? null,
          reviewingAgency: row?.reviewing_agency ?? (d.policy ? d.policy.reviewingAgency ?? d.agency : null),
          /** An objection can be filed now (no objection yet, a final decision, within its term). */
          open: !row && !!termEndsAt && Date.now() <= Date.parse(termEndsAt),
          decidedBy: d.overridden_by,
          objection: row ? viewOf(row, lang) : undefined,
          appeal: appealStage(d, row, appealOf.get(d.node_key), lang),
        };
      }),
    };
  }

  async file(p: Principal, journeyId: string, nodeKey: string, dto: FileObjectionDto, lang: Language) {
    const journey = await this.access.visibleJourney(p, journeyId);
    await this.access.resolve(p, objectionFilingAccess(p, { subjectId: journey.subject_id, lifeEvent: journey.life_event_key }));
    const decision = await this.objections.objectable(journeyId, nodeKey);
    if (!decision) throw notFound(`A decision of step '${nodeKey}' in journey ${journeyId}`);
    if (!decision.policy) throw conflict(`The decision of step '${nodeKey}' declares no objection term: it cannot be objected to here.`, 'no-objection-term');
    const reason = dto.reason.trim();
    const existing = await this.objections.of(journeyId, nodeKey);
    const retry = existing?.filed_by === p.sub && existing.reason === reason && existing.status === 'filed';
    if (existing && !retry) throw conflict(`An objection against this decision was already filed on ${existing.filed_at.toISOString()} (${existing.status}); it is not filed twice.`, 'already-objected');
    // Once filed, the decision is under review (not done): a retry keeps the term it was filed in.
    const termEndsAt = retry ? existing.term_ends_at.toISOString() : termEndOf(decision);
    if (!termEndsAt) throw conflict(`The decision of step '${nodeKey}' is not final yet: object once it is.`, 'decision-not-final');
    if (!retry && Date.now() > Date.parse(termEndsAt)) {
      throw new ProblemException(409, termEndedMessage(decision.policy, termEndsAt), { slug: 'objection-term-ended', extensions: { term: decision.policy.term, termEndedAt: termEndsAt } });
    }
    const reviewingAgency = decision.policy.reviewingAgency ?? decision.agency;
    if (!retry) {
      await this.db.transaction(async (tx) => {
        const recorded = await this.objections.record(
          { journey_id: journeyId, node_key: nodeKey, agency: decision.agency, reviewing_agency: reviewingAgency, rule_id: decision.rule_id, rule_version: decision.rule_version, against: decision.outcome, reason, filed_by: p.sub, term_ends_at: termEndsAt },
          tx,
        );
        if (!recorded) throw conflict('An objection against this decision was filed at the same moment; it is not filed twice.', 'already-objected');
        await this.audit(tx, p.sub, 'decision.objection_filed', journeyId, nodeKey, { rule: { id: decision.rule_id, version: decision.rule_version }, against: decision.outcome, reviewingAgency, termEndsAt, reason });
      });
    }
    try {
      await withTimeout(this.handle(journeyId).executeUpdate(fileObjectionUpdate, { args: [{ nodeKey, reason, by: p.sub }] }), UPDATE_TIMEOUT_MS);
    } catch (err) {
      const cause = refusalOf(err);
      // A retry the journey already took: it answers as the first time.
      if (!(retry && cause?.startsWith('An objection against this decision was already filed'))) {
        if (cause !== undefined || closed(err)) {
          await this.revertFiling(p, journeyId, nodeKey, reason, cause ?? 'the journey has closed');
          throw new ProblemException(409, `The journey refused the objection: ${cause ?? 'it has closed.'} The objection was not kept.`, { slug: 'refused-by-journey' });
        }
        throw updateProblem(err);
      }
    }
    return viewOf((await this.objections.of(journeyId, nodeKey))!, lang);
  }

  async review(p: Principal, journeyId: string, nodeKey: string, dto: ReviewObjectionDto, lang: Language) {
    await this.access.visibleJourney(p, journeyId);
    const row = await this.objections.of(journeyId, nodeKey);
    if (!row) throw notFound(`An objection against the decision of step '${nodeKey}' in journey ${journeyId}`);
    await this.access.resolve(p, objectionReviewAccess(p, row.reviewing_agency));
    const explanation = explanationOf(dto);
    const decision = await this.objections.objectable(journeyId, nodeKey);
    // Four eyes: the journey knows every caseworker who decided; the record knows the last override.
    if (decision?.overridden_by === p.sub && row.status === 'filed') throw forbidden(fourEyesMessage(p.sub));
    const retry = row.status !== 'filed' && row.reviewed_by === p.sub && row.verdict === dto.verdict;
    if (row.status !== 'filed' && !retry) throw conflict(`This objection was already reviewed by ${row.reviewed_by} (${row.status}); it is not reviewed twice.`, 'already-reviewed');
    if (!retry) {
      await this.db.transaction(async (tx) => {
        if (!(await this.objections.review(journeyId, nodeKey, { verdict: dto.verdict, explanation, by: p.sub }, tx))) throw conflict('This objection was reviewed at the same moment; it is not reviewed twice.', 'already-reviewed');
        await this.audit(tx, p.sub, 'decision.objection_reviewed', journeyId, nodeKey, {
          rule: { id: row.rule_id, version: row.rule_version }, verdict: dto.verdict, from: row.against, to: dto.verdict === 'uphold' ? row.against : dto.verdict, explanation,
        });
      });
    }
    try {
      await withTimeout(this.handle(journeyId).executeUpdate(reviewObjectionUpdate, { args: [{ nodeKey, verdict: dto.verdict, explanation, by: p.sub }] }), UPDATE_TIMEOUT_MS);
    } catch (err) {
      const cause = refusalOf(err);
      if (!(retry && cause?.startsWith('There is no objection to review'))) {
        if (cause !== undefined || closed(err)) {
          await this.revertReview(p, journeyId, nodeKey, cause ?? 'the journey has closed');
          if (cause?.startsWith('Four eyes')) throw forbidden(cause);
          throw new ProblemException(409, `The journey refused the review: ${cause ?? 'it has closed.'} The review was not kept.`, { slug: 'refused-by-journey' });
        }
        throw updateProblem(err);
      }
    }
    return viewOf((await this.objections.of(journeyId, nodeKey))!, lang);
  }

  /** Objections and their outcome per rule id and version (aggregates, no personal data). */
  async stats(rule?: string) {
    const rows = await this.objections.countsByRule(rule);
    return { items: rows.map((r) => ({ rule: { id: r.rule_id, version: r.rule_version }, objections: r.objections, open: r.open, upheld: r.upheld, revised: r.revised })) };
  }

  private handle(journeyId: string) {
    return this.temporal.client.workflow.getHandle(workflowIdOf(journeyId));
  }

  private async revertFiling(p: Principal, journeyId: string, nodeKey: string, reason: string, cause: string) {
    await this.db.transaction(async (tx) => {
      if (await this.objections.revert(journeyId, nodeKey, p.sub, reason, tx)) await this.audit(tx, p.sub, 'decision.objection_reverted', journeyId, nodeKey, { cause });
    });
    this.logger.warn(`Objection to ${journeyId}/${nodeKey} refused by the journey: ${cause}`);
  }

  private async revertReview(p: Principal, journeyId: string, nodeKey: string, cause: string) {
    await this.db.transaction(async (tx) => {
      if (await this.objections.unreview(journeyId, nodeKey, p.sub, tx)) await this.audit(tx, p.sub, 'decision.objection_review_reverted', journeyId, nodeKey, { cause });
    });
    this.logger.warn(`Review of the objection to ${journeyId}/${nodeKey} refused by the journey: ${cause}`);
  }

  private async audit(tx: EntityManager, actor: string, action: string, journeyId: string, nodeKey: string, detail: Record<string, unknown>) {
    await this.auditLog.append({ actor, action, targetType: 'decision', targetId: `${journeyId}/${nodeKey}`, detail: { journeyId, node: nodeKey, ...detail } }, tx);
  }
}

/**
 * The second stage, when the step declares one: its term (from an upheld objection's review), the
 * agency that decides, whether an appeal can be filed now, and the appeal once filed.
 */
function appealStage(d: ObjectableDecision, objection: ObjectionRow | undefined, appeal: AppealRow | undefined, lang: Language) {
  const policy = d.policy?.appeal;
  if (!d.policy || !policy) return undefined;
  const termEndsAt = objection?.status === 'upheld' && objection.reviewed_at ? appealTermEnd(objection.reviewed_at.toISOString(), policy) : null;
  return {
    term: policy.term,
    termEndsAt: appeal ? appeal.term_ends_at : termEndsAt,
    agency: appeal?.agency ?? appealAgencyOf(d.policy, d.agency),
    open: !appeal && !!termEndsAt && Date.now() <= Date.parse(termEndsAt),
    ...(appeal ? appealView(appeal, lang) : {}),
  };
}

/** When the term to object ends, once the decision is final; undefined before (or for a referral still open). */
function termEndOf(d: ObjectableDecision): string | undefined {
  if (!d.policy || !d.completed_at || d.outcome === 'refer') return undefined;
  return objectionTermEnd(d.completed_at.toISOString(), d.policy);
}

/** The journey's refusal (its validator's message), if that is what the error is. */
function refusalOf(err: unknown): string | undefined {
  if (!(err instanceof WorkflowUpdateFailedError)) return undefined;
  return (err.cause as { message?: string } | undefined)?.message ?? 'the journey refused';
}

function closed(err: unknown): boolean {
  return err instanceof WorkflowNotFoundError || /not found|already completed/i.test(String((err as Error)?.message));
}

function explanationOf(dto: ReviewObjectionDto): Translations {
  const given = Object.fromEntries((['nl', 'fr', 'de', 'en'] as const).flatMap((l) => (dto.explanation?.[l]?.trim() ? [[l, dto.explanation[l]!.trim()]] : [])));
  if (!Object.keys(given).length) throw invalid('A review needs an explanation for the citizen in their language.', [{ path: '/explanation', message: 'give the explanation in at least one of nl, fr, de, en' }]);
  return { ...given, nl: given.nl ?? Object.values(given)[0] } as Translations;
}

function viewOf(r: ObjectionRow, lang: Language) {
  return {
    journeyId: r.journey_id,
    node: r.node_key,
    rule: { id: r.rule_id, version: r.rule_version },
    against: r.against,
    reason: r.reason,
    filedBy: r.filed_by,
    filedAt: r.filed_at,
    termEndsAt: r.term_ends_at,
    reviewingAgency: r.reviewing_agency,
    status: r.status,
    ...(r.status !== 'filed'
      ? { review: { verdict: r.verdict, outcome: r.verdict === 'uphold' ? r.against : r.verdict, by: r.reviewed_by, at: r.reviewed_at, explanation: tr(r.explanation, lang) ?? null } }
      : {}),
  };
}
