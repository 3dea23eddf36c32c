import { Controller, Get, Headers, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { SupervisorNotices, type SupervisorNoticeRow } from '@levensloop/persistence';
import { renderSupervisorNotice, SUPERVISOR_NOTICE_KINDS, type SupervisorNoticeKind } from '@levensloop/notifications';
import type { Language } from '@levensloop/domain';
import { CurrentPrincipal, Roles } from '../auth/decorators';
import type { Principal } from '../auth/principal';
import { ApiProblems } from '../catalog/dto/problem.response';
import { forbidden } from '../common/problem';
import { LanguageQuery, readerLanguage } from '../data-access/reading';

/** What an agency's supervisors are told: escalated steps, with the task to look at and where it is now. */
@ApiTags('tasks')
@ApiBearerAuth()
@Controller('supervision')
export class SupervisionController {
  constructor(private readonly notices: SupervisorNotices) {}

  @Get('notices')
  @Roles('supervisor')
  @ApiOperation({
    summary: "A supervisor's notices: the escalations of their agency's steps, newest first, in their language",
    description: 'Each notice names the journey, the step and its task (with its state now: who holds it, which team). The escalated tasks still open are also `GET /tasks?view=escalated`.',
  })
  @ApiProblems(400, 403)
  async list(@CurrentPrincipal() p: Principal, @Query() q: LanguageQuery, @Headers('accept-language') accept?: string) {
    if (!p.agency) throw forbidden('A supervisor acts for an agency: the token names none.');
    const lang = readerLanguage(q.lang, accept);
    const rows = await this.notices.list(p.agency);
    return { items: rows.filter((r) => (SUPERVISOR_NOTICE_KINDS as readonly string[]).includes(r.kind)).map((r) => toNotice(r, lang)) };
  }
}

function toNotice(r: SupervisorNoticeRow, lang: Language) {
  const text = renderSupervisorNotice(r.kind as SupervisorNoticeKind, lang, {
    stepTitle: r.step_title ?? { nl: r.node_key },
    journeyTitle: r.journey_title ?? { nl: r.journey_id },
    dueAt: r.due_at ? new Date(r.due_at).toISOString() : typeof r.detail?.dueAt === 'string' ? r.detail.dueAt : null,
  });
  return {
    id: r.id,
    kind: r.kind,
    journeyId: r.journey_id,
    step: r.node_key,
    agency: r.agency,
    at: r.created_at,
    language: lang,
    ...text,
    ...(r.task_id && r.task_status
      ? { task: { id: r.task_id, status: r.task_status, ...(r.task_claimed_by ? { claimedBy: r.task_claimed_by } : {}), ...(r.task_team ? { team: r.task_team } : {}) } }
      : {}),
  };
}
