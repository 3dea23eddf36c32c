import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { extendTermUpdate, journeyWorkflowId, requestInformationUpdate } from '@levensloop/contracts/workflow';
import { DURATION_RULE, parseDuration, type StepState } from '@levensloop/domain';
import { appendAudit, JourneyReadModel } from '@levensloop/persistence';
import { AccessService } from '../access/access.service';
import { hasRole, type Principal } from '../auth/principal';
import { forbidden, invalid, notFound } from '../common/problem';
import { updateJourney } from '../journeys/workflow-errors';
import { TemporalService } from '../temporal/temporal.provider';
import type { ExtendTermDto, RequestInformationDto } from './legal-clock.dto';

/**
 * A caseworker of the step's agency asks the citizen for information (the step's legal clock
 * stands still until they answer) or extends the step's term once. The journey decides (its
 * rules: libs/domain legal-clock.ts) and refuses what does not fit (409); accepted actions are audited.
 */
@Injectable()
export class LegalClockService {
  constructor(
    private readonly db: DataSource,
    private readonly access: AccessService,
    private readonly readModel: JourneyReadModel,
    private readonly temporal: TemporalService,
  ) {}

  async requestInformation(p: Principal, journeyId: string, nodeKey: string, dto: RequestInformationDto) {
    // Who asks before what is asked.
    await this.caseworkerOfStep(p, journeyId, nodeKey, 'ask for information in');
    const dueAt = Date.parse(dto.dueAt);
    if (!(dueAt > Date.now())) throw invalid('The due date must lie in the future.', [{ path: '/dueAt', message: `${dto.dueAt} has passed; give a date the citizen can still answer by` }]);
    const question = dto.question.trim();
    const step = await updateJourney(this.temporal.client, journeyWorkflowId(journeyId), requestInformationUpdate, {
      nodeKey,
      question,
      dueAt: new Date(dueAt).toISOString(),
      by: p.sub,
    });
    await this.audit(p, 'step.information_requested', journeyId, nodeKey, { dueAt: step.information?.dueAt ?? null });
    return stepView(journeyId, step);
  }

  async extend(p: Principal, journeyId: string, nodeKey: string, dto: ExtendTermDto) {
    await this.caseworkerOfStep(p, journeyId, nodeKey, 'extend the term of');
    if (parseDuration(dto.extension) === undefined) throw invalid('The extension is not a duration.', [{ path: '/extension', message: `${dto.extension} is not ${DURATION_RULE}` }]);
    const reason = dto.reason.trim();
    const step = await updateJourney(this.temporal.client, journeyWorkflowId(journeyId), extendTermUpdate, { nodeKey, extension: dto.extension, reason, by: p.sub });
    await this.audit(p, 'step.term_extended', journeyId, nodeKey, { extension: dto.extension, reason, dueAt: step.dueAt ?? null });
    return stepView(journeyId, step);
  }

  /** The journey must be visible to the caller (else 404), the step exist, and the caller work for its agency. */
  private async caseworkerOfStep(p: Principal, journeyId: string, nodeKey: string, what: string) {
    await this.access.visibleJourney(p, journeyId);
    const step = await this.readModel.stepOf(journeyId, nodeKey);
    if (!step) throw notFound(`Step '${nodeKey}' of journey ${journeyId}`);
    if (!(hasRole(p, 'caseworker') && p.agency === step.agency)) throw forbidden(`Only a caseworker of ${step.agency} may ${what} this step.`);
  }

  private async audit(p: Principal, action: string, journeyId: string, nodeKey: string, detail: Record<string, unknown>) {
    await appendAudit(this.db, {
      actor: p.sub,
      action,
      targetType: 'journey_step',
      targetId: `${journeyId}/${nodeKey}`,
      detail: { ...detail, roles: p.roles, ...(p.agency ? { agency: p.agency } : {}) },
    });
  }
}

/** The step as the journey has it now (the read model follows within moments). */
function stepView(journeyId: string, s: StepState) {
  return {
    journeyId,
    step: s.key,
    status: s.status,
    ...(s.waitingFor ? { waitingFor: s.waitingFor } : {}),
    ...(s.dueAt ? { dueAt: s.dueAt } : {}),
    ...(s.clock ? { clock: { suspended: !!s.clock.suspendedAt, ...s.clock } } : {}),
    ...(s.information ? { information: s.information } : {}),
  };
}
