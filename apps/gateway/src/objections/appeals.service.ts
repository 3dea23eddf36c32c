import { Injectable, Logger } from '@nestjs/common';
import { WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { DataSource, type EntityManager } from 'typeorm';
import { decideAppealUpdate, fileAppealUpdate } from '@levensloop/contracts/workflow';
import {
  appealAgencyOf,
  appealDecisionAccess,
  appealFourEyesMessage,
  appealTermEnd,
  appealTermEndedMessage,
  objectionFilingAccess,
  type Language,
  type Translations,
} from '@levensloop/domain';
import { AuditLog, DecisionAppeals, DecisionObjections, type AppealRow } from '@levensloop/persistence';
import type { Principal } from '../auth/principal';
import { AccessService } from '../access/access.service';
import { conflict, forbidden, invalid, notFound, ProblemException } from '../common/problem';
import { tr } from '../data-access/reading';
import { workflowIdOf } from '../journeys/journeys.service';
import { updateProblem, withTimeout } from '../journeys/workflow-errors';
import { TemporalService } from '../temporal/temporal.provider';
import type { DecideAppealDto, FileAppealDto } from './appeals.dto';

const UPDATE_TIMEOUT_MS = 20_000;

/**
 * The second stage: once an objection is upheld, the subject (or whoever acts for them) appeals
 * within the term the step declares (`objection.appeal`), and a caseworker of the appeal agency
 * who did not decide, override or review the objection upholds or revises. Recorded with its audit
 * row (`decision_appeals`, the gateway's) before the journey is told; taken back when it refuses.
 */
@Injectable()
export class AppealsService {
  private readonly logger = new Logger('Appeals');

  constructor(
    private readonly db: DataSource,
    private readonly appeals: DecisionAppeals,
    private readonly objections: DecisionObjections,
    private readonly auditLog: AuditLog,
    private readonly access: AccessService,
    private readonly temporal: TemporalService,
  ) {}

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
    if (!retry) {
      await this.db.transaction(async (tx) => {
        const recorded = await this.appeals.record(
          { journey_id: journeyId, node_key: nodeKey, agency, rule_id: decision.rule_id, rule_version: decision.rule_version, against: objection.against, reason, filed_by: p.sub, term_ends_at: termEndsAt },
          tx,
        );
        if (!recorded) throw conflict('An appeal against this decision was filed at the same moment; it is not filed twice.', 'already-appealed');
        await this.audit(tx, p.sub, 'decision.appeal_filed', journeyId, nodeKey, { rule: { id: decision.rule_id, version: decision.rule_version }, against: objection.against, agency, termEndsAt, reason });
      });
    }
    try {
      await withTimeout(this.handle(journeyId).executeUpdate(fileAppealUpdate, { args: [{ nodeKey, reason, by: p.sub }] }), UPDATE_TIMEOUT_MS);
    } catch (err) {
      const cause = refusalOf(err);
      if (!(retry && cause?.startsWith('An appeal against this decision was already filed'))) {
        if (cause !== undefined || closed(err)) {
          await this.revert((tx) => this.appeals.revert(journeyId, nodeKey, p.sub, reason, tx), p, 'decision.appeal_reverted', journeyId, nodeKey, cause);
          throw new ProblemException(409, `The journey refused the appeal: ${cause ?? 'it has closed.'} The appeal was not kept.`, { slug: 'refused-by-journey' });
        }
        throw updateProblem(err);
      }
    }
    return appealView((await this.appeals.of(journeyId, nodeKey))!, lang);
  }

  async decide(p: Principal, journeyId: string, nodeKey: string, dto: DecideAppealDto, lang: Language) {
    await this.access.visibleJourney(p, journeyId);
    const row = await this.appeals.of(journeyId, nodeKey);
    if (!row) throw notFound(`An appeal against the decision of step '${nodeKey}' in journey ${journeyId}`);
    await this.access.resolve(p, appealDecisionAccess(p, row.agency));
    const explanation = explanationOf(dto);
    // Four eyes: whoever overrode the decision or reviewed the objection (the journey knows every decider too).
    const [decision, objection] = await Promise.all([this.objections.objectable(journeyId, nodeKey), this.objections.of(journeyId, nodeKey)]);
    if (row.status === 'filed' && (decision?.overridden_by === p.sub || objection?.reviewed_by === p.sub)) throw forbidden(appealFourEyesMessage(p.sub));
    const retry = row.status !== 'filed' && row.decided_by === p.sub && row.verdict === dto.verdict;
    if (row.status !== 'filed' && !retry) throw conflict(`This appeal was already decided by ${row.decided_by} (${row.status}); it is not decided twice.`, 'already-decided');
    if (!retry) {
      await this.db.transaction(async (tx) => {
        if (!(await this.appeals.decide(journeyId, nodeKey, { verdict: dto.verdict, explanation, by: p.sub }, tx))) throw conflict('This appeal was decided at the same moment; it is not decided twice.', 'already-decided');
        await this.audit(tx, p.sub, 'decision.appeal_decided', journeyId, nodeKey, {
          rule: { id: row.rule_id, version: row.rule_version }, verdict: dto.verdict, from: row.against, to: dto.verdict === 'uphold' ? row.against : dto.verdict, explanation,
        });
      });
    }
    try {
      await withTimeout(this.handle(journeyId).executeUpdate(decideAppealUpdate, { args: [{ nodeKey, verdict: dto.verdict, explanation, by: p.sub }] }), UPDATE_TIMEOUT_MS);
    } catch (err) {
      const cause = refusalOf(err);
      if (!(retry && cause?.startsWith('There is no appeal to decide'))) {
        if (cause !== undefined || closed(err)) {
          await this.revert((tx) => this.appeals.undecide(journeyId, nodeKey, p.sub, tx), p, 'decision.appeal_decision_reverted', journeyId, nodeKey, cause);
          if (cause?.startsWith('Four eyes')) throw forbidden(cause);
          throw new ProblemException(409, `The journey refused the appeal decision: ${cause ?? 'it has closed.'} The decision was not kept.`, { slug: 'refused-by-journey' });
        }
        throw updateProblem(err);
      }
    }
    return appealView((await this.appeals.of(journeyId, nodeKey))!, lang);
  }

  /** The journey's appeals, for the objections list. */
  async ofJourney(journeyId: string): Promise<AppealRow[]> {
    return this.appeals.ofJourney(journeyId);
  }

  private handle(journeyId: string) {
    return this.temporal.client.workflow.getHandle(workflowIdOf(journeyId));
  }

  private async revert(undo: (tx: EntityManager) => Promise<boolean>, p: Principal, action: string, journeyId: string, nodeKey: string, cause: string | undefined) {
    const why = cause ?? 'the journey has closed';
    await this.db.transaction(async (tx) => {
      if (await undo(tx)) await this.audit(tx, p.sub, action, journeyId, nodeKey, { cause: why });
    });
    this.logger.warn(`${action} for ${journeyId}/${nodeKey}: ${why}`);
  }

  private async audit(tx: EntityManager, actor: string, action: string, journeyId: string, nodeKey: string, detail: Record<string, unknown>) {
    await this.auditLog.append({ actor, action, targetType: 'decision', targetId: `${journeyId}/${nodeKey}`, detail: { journeyId, node: nodeKey, ...detail } }, tx);
  }
}

function refusalOf(err: unknown): string | undefined {
  if (!(err instanceof WorkflowUpdateFailedError)) return undefined;
  return (err.cause as { message?: string } | undefined)?.message ?? 'the journey refused';
}

function closed(err: unknown): boolean {
  return err instanceof WorkflowNotFoundError || /not found|already completed/i.test(String((err as Error)?.message));
}

function explanationOf(dto: DecideAppealDto): Translations {
  const given = Object.fromEntries((['nl', 'fr', 'de', 'en'] as const).flatMap((l) => (dto.explanation?.[l]?.trim() ? [[l, dto.explanation[l]!.trim()]] : [])));
  if (!Object.keys(given).length) throw invalid('An appeal decision needs an explanation for the citizen in their language.', [{ path: '/explanation', message: 'give the explanation in at least one of nl, fr, de, en' }]);
  return { ...given, nl: given.nl ?? Object.values(given)[0] } as Translations;
}

export function appealView(r: AppealRow, lang: Language) {
  return {
    journeyId: r.journey_id,
    node: r.node_key,
    rule: { id: r.rule_id, version: r.rule_version },
    against: r.against,
    reason: r.reason,
    filedBy: r.filed_by,
    filedAt: r.filed_at,
    termEndsAt: r.term_ends_at,
    agency: r.agency,
    status: r.status,
    ...(r.status !== 'filed'
      ? { decision: { verdict: r.verdict, outcome: r.verdict === 'uphold' ? r.against : r.verdict, by: r.decided_by, at: r.decided_at, explanation: tr(r.explanation, lang) ?? null } }
      : {}),
  };
}
