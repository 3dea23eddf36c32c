import { Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
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
} from '@levensloop/domain';
import { AuditLog, DecisionAppeals, DecisionObjections, type AppealRow, type ObjectableDecision, type ObjectionRow } from '@levensloop/persistence';
import type { Principal } from '../auth/principal';
import { AccessService } from '../access/access.service';
import { conflict, forbidden, notFound, ProblemException } from '../common/problem';
import { TemporalService } from '../temporal/temporal.provider';
import type { FileObjectionDto, ReviewObjectionDto } from './objections.dto';
import type { ObjectionStatsDto } from './objection-stats.dto';
import { appealView } from './appeals.service';
import { DecisionStage, explanationOf, filedView, refusedBy } from './decision-stage';

/**
 * Objection and appeal: the subject (or whoever acts for them) objects to a final decision within
 * its term; a caseworker of the reviewing agency, not the one who decided, upholds or revises it.
 * Recorded with its audit row (`decision_objections`, the gateway's), then the journey is told; a
 * refusal of the journey takes the record back, audited as well.
 */
@Injectable()
export class ObjectionsService {
  private readonly stage: DecisionStage;

  constructor(
    db: DataSource,
    private readonly objections: DecisionObjections,
    auditLog: AuditLog,
    private readonly access: AccessService,
    temporal: TemporalService,
    private readonly appeals: DecisionAppeals,
  ) {
    this.stage = new DecisionStage(db, auditLog, temporal, new Logger('Objections'));
  }

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
    const target = { actor: p.sub, journeyId, nodeKey };
    if (!retry) {
      await this.stage.record(
        target,
        (tx) =>
          this.objections.record(
            { journey_id: journeyId, node_key: nodeKey, agency: decision.agency, reviewing_agency: reviewingAgency, rule_id: decision.rule_id, rule_version: decision.rule_version, against: decision.outcome, reason, filed_by: p.sub, term_ends_at: termEndsAt },
            tx,
          ),
        conflict('An objection against this decision was filed at the same moment; it is not filed twice.', 'already-objected'),
        'decision.objection_filed',
        { rule: { id: decision.rule_id, version: decision.rule_version }, against: decision.outcome, reviewingAgency, termEndsAt, reason },
      );
    }
    await this.stage.tell({
      ...target,
      update: fileObjectionUpdate,
      input: { nodeKey, reason, by: p.sub },
      retry,
      taken: 'An objection against this decision was already filed',
      undo: (tx) => this.objections.revert(journeyId, nodeKey, p.sub, reason, tx),
      reverted: 'decision.objection_reverted',
      refused: refusedBy('objection', 'objection'),
    });
    return viewOf((await this.objections.of(journeyId, nodeKey))!, lang);
  }

  async review(p: Principal, journeyId: string, nodeKey: string, dto: ReviewObjectionDto, lang: Language) {
    await this.access.visibleJourney(p, journeyId);
    const row = await this.objections.of(journeyId, nodeKey);
    if (!row) throw notFound(`An objection against the decision of step '${nodeKey}' in journey ${journeyId}`);
    await this.access.resolve(p, objectionReviewAccess(p, row.reviewing_agency));
    const explanation = explanationOf(dto.explanation, 'A review needs an explanation for the citizen in their language.');
    const decision = await this.objections.objectable(journeyId, nodeKey);
    // Four eyes: the journey knows every caseworker who decided; the record knows the last override.
    if (decision?.overridden_by === p.sub && row.status === 'filed') throw forbidden(fourEyesMessage(p.sub));
    const retry = row.status !== 'filed' && row.reviewed_by === p.sub && row.verdict === dto.verdict;
    if (row.status !== 'filed' && !retry) throw conflict(`This objection was already reviewed by ${row.reviewed_by} (${row.status}); it is not reviewed twice.`, 'already-reviewed');
    const target = { actor: p.sub, journeyId, nodeKey };
    if (!retry) {
      await this.stage.record(
        target,
        (tx) => this.objections.review(journeyId, nodeKey, { verdict: dto.verdict, explanation, by: p.sub }, tx),
        conflict('This objection was reviewed at the same moment; it is not reviewed twice.', 'already-reviewed'),
        'decision.objection_reviewed',
        { rule: { id: row.rule_id, version: row.rule_version }, verdict: dto.verdict, from: row.against, to: dto.verdict === 'uphold' ? row.against : dto.verdict, explanation },
      );
    }
    await this.stage.tell({
      ...target,
      update: reviewObjectionUpdate,
      input: { nodeKey, verdict: dto.verdict, explanation, by: p.sub },
      retry,
      taken: 'There is no objection to review',
      undo: (tx) => this.objections.unreview(journeyId, nodeKey, p.sub, tx),
      reverted: 'decision.objection_review_reverted',
      refused: refusedBy('review', 'review'),
    });
    return viewOf((await this.objections.of(journeyId, nodeKey))!, lang);
  }

  /** Objections and their outcome per rule id and version, with the appeals after them (aggregates, no personal data). */
  async stats(rule?: string): Promise<ObjectionStatsDto> {
    const rows = await this.objections.countsByRule(rule);
    return {
      items: rows.map((r) => ({
        rule: { id: r.rule_id, version: r.rule_version },
        objections: r.objections,
        open: r.open,
        upheld: r.upheld,
        revised: r.revised,
        appeals: r.appeals,
        appealsRevised: r.appeals_revised,
      })),
    };
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

function viewOf(r: ObjectionRow, lang: Language) {
  return filedView(r, lang, { reviewingAgency: r.reviewing_agency }, 'review', { by: r.reviewed_by, at: r.reviewed_at });
}
