import { Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { decideAppealUpdate, fileAppealUpdate } from '@levensloop/contracts/workflow';
import {
  appealAgencyOf,
  appealDecisionAccess,
  appealFourEyesMessage,
  appealTermEnd,
  appealTermEndedMessage,
  objectionFilingAccess,
  type Language,
} from '@levensloop/domain';
import { AuditLog, DecisionAppeals, DecisionObjections, type AppealRow } from '@levensloop/persistence';
import type { Principal } from '../auth/principal';
import { AccessService } from '../access/access.service';
import { conflict, forbidden, notFound, ProblemException } from '../common/problem';
import { TemporalService } from '../temporal/temporal.provider';
import type { DecideAppealDto, FileAppealDto } from './appeals.dto';
import { DecisionStage, explanationOf, filedView, refusedBy } from './decision-stage';

/**
 * The second stage: once an objection is upheld, the subject (or whoever acts for them) appeals
 * within the term the step declares (`objection.appeal`), and a caseworker of the appeal agency
 * who did not decide, override or review the objection upholds or revises. Recorded with its audit
 * row (`decision_appeals`, the gateway's) before the journey is told; taken back when it refuses.
 */
@Injectable()
export class AppealsService {
  private readonly stage: DecisionStage;

  constructor(
    db: DataSource,
    private readonly appeals: DecisionAppeals,
    private readonly objections: DecisionObjections,
    auditLog: AuditLog,
    private readonly access: AccessService,
    temporal: TemporalService,
  ) {
    this.stage = new DecisionStage(db, auditLog, temporal, new Logger('Appeals'));
  }

  async file(p: Principal, journeyId: string, nodeKey: string, dto: FileAppealDto, lang: Language) {
    const journey = await this.access.visibleJourney(p, journeyId);
    await this.access.resolve(p, objectionFilingAccess(p, { subjectId: journey.subject_id, lifeEvent: journey.life_event_key }));
    const decision = await this.objections.objectable(journeyId, nodeKey);
    if (!decision) throw notFound(`A decision of step '${nodeKey}' in journey ${journeyId}`);
    const policy = decision.policy?.appeal;
    if (!decision.policy || !policy) throw conflict(`The decision of step '${nodeKey}' declares no appeal: it cannot be appealed here.`, 'no-appeal');
    const objection = await this.objections.of(journeyId, nodeKey);
    if (objection?.status !== 'upheld' || !objection.reviewed_at) {
      throw conflict(`An appeal comes after an objection that was upheld; ${objection ? `the objection is ${objection.status}` : 'object to the decision first'}.`, 'no-upheld-objection');
    }
    const reason = dto.reason.trim();
    const existing = await this.appeals.of(journeyId, nodeKey);
    const retry = existing?.filed_by === p.sub && existing.reason === reason && existing.status === 'filed';
    if (existing && !retry) throw conflict(`An appeal against this decision was already filed on ${existing.filed_at.toISOString()} (${existing.status}); it is not filed twice.`, 'already-appealed');
    const termEndsAt = retry ? existing.term_ends_at.toISOString() : appealTermEnd(objection.reviewed_at.toISOString(), policy);
    if (!retry && Date.now() > Date.parse(termEndsAt)) {
      throw new ProblemException(409, appealTermEndedMessage(policy, termEndsAt), { slug: 'appeal-term-ended', extensions: { term: policy.term, termEndedAt: termEndsAt } });
    }
    const agency = appealAgencyOf(decision.policy, decision.agency);
    const target = { actor: p.sub, journeyId, nodeKey };
    if (!retry) {
      await this.stage.record(
        target,
        (tx) => this.appeals.record({ journey_id: journeyId, node_key: nodeKey, agency, rule_id: decision.rule_id, rule_version: decision.rule_version, against: objection.against, reason, filed_by: p.sub, term_ends_at: termEndsAt }, tx),
        conflict('An appeal against this decision was filed at the same moment; it is not filed twice.', 'already-appealed'),
        'decision.appeal_filed',
        { rule: { id: decision.rule_id, version: decision.rule_version }, against: objection.against, agency, termEndsAt, reason },
      );
    }
    await this.stage.tell({
      ...target,
      update: fileAppealUpdate,
      input: { nodeKey, reason, by: p.sub },
      retry,
      taken: 'An appeal against this decision was already filed',
      undo: (tx) => this.appeals.revert(journeyId, nodeKey, p.sub, reason, tx),
      reverted: 'decision.appeal_reverted',
      refused: refusedBy('appeal', 'appeal'),
    });
    return appealView((await this.appeals.of(journeyId, nodeKey))!, lang);
  }

  async decide(p: Principal, journeyId: string, nodeKey: string, dto: DecideAppealDto, lang: Language) {
    await this.access.visibleJourney(p, journeyId);
    const row = await this.appeals.of(journeyId, nodeKey);
    if (!row) throw notFound(`An appeal against the decision of step '${nodeKey}' in journey ${journeyId}`);
    await this.access.resolve(p, appealDecisionAccess(p, row.agency));
    const explanation = explanationOf(dto.explanation, 'An appeal decision needs an explanation for the citizen in their language.');
    // Four eyes: whoever overrode the decision or reviewed the objection (the journey knows every decider too).
    const [decision, objection] = await Promise.all([this.objections.objectable(journeyId, nodeKey), this.objections.of(journeyId, nodeKey)]);
    if (row.status === 'filed' && (decision?.overridden_by === p.sub || objection?.reviewed_by === p.sub)) throw forbidden(appealFourEyesMessage(p.sub));
    const retry = row.status !== 'filed' && row.decided_by === p.sub && row.verdict === dto.verdict;
    if (row.status !== 'filed' && !retry) throw conflict(`This appeal was already decided by ${row.decided_by} (${row.status}); it is not decided twice.`, 'already-decided');
    const target = { actor: p.sub, journeyId, nodeKey };
    if (!retry) {
      await this.stage.record(
        target,
        (tx) => this.appeals.decide(journeyId, nodeKey, { verdict: dto.verdict, explanation, by: p.sub }, tx),
        conflict('This appeal was decided at the same moment; it is not decided twice.', 'already-decided'),
        'decision.appeal_decided',
        { rule: { id: row.rule_id, version: row.rule_version }, verdict: dto.verdict, from: row.against, to: dto.verdict === 'uphold' ? row.against : dto.verdict, explanation },
      );
    }
    await this.stage.tell({
      ...target,
      update: decideAppealUpdate,
      input: { nodeKey, verdict: dto.verdict, explanation, by: p.sub },
      retry,
      taken: 'There is no appeal to decide',
      undo: (tx) => this.appeals.undecide(journeyId, nodeKey, p.sub, tx),
      reverted: 'decision.appeal_decision_reverted',
      refused: refusedBy('appeal decision', 'decision'),
    });
    return appealView((await this.appeals.of(journeyId, nodeKey))!, lang);
  }

  /** The journey's appeals, for the objections list. */
  async ofJourney(journeyId: string): Promise<AppealRow[]> {
    return this.appeals.ofJourney(journeyId);
  }
}

export function appealView(r: AppealRow, lang: Language) {
  return filedView(r, lang, { agency: r.agency }, 'decision', { by: r.decided_by, at: r.decided_at });
}
