import { Body, Controller, Get, Headers, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Roles } from '../auth/decorators';
import type { Principal } from '../auth/principal';
import { ApiProblems } from '../catalog/dto/problem.response';
import { LanguageQuery, readerLanguage } from '../data-access/reading';
import { AuditQuery, OverrideDecisionDto } from './decisions.dto';
import { DecisionsService } from './decisions.service';

@ApiTags('decisions')
@ApiBearerAuth()
@Controller()
export class DecisionsController {
  constructor(private readonly decisions: DecisionsService) {}

  @Get('journeys/:id/decisions')
  @ApiOperation({
    summary: "A journey's automatic decisions: rule id and version, explanation, override if any, and the inputs for those who may see them",
    description:
      'For whoever may see the journey. The inputs (the register values the decision used) are shown only to caseworkers of the deciding agency, the subject and their mandate holders, and auditors; each such disclosure is written to the access log. Anyone else gets the decisions without `inputs`.',
  })
  @ApiProblems(400, 404)
  list(@CurrentPrincipal() p: Principal, @Param('id') id: string, @Query() q: LanguageQuery, @Headers('accept-language') accept?: string) {
    return this.decisions.list(p, id, readerLanguage(q.lang, accept));
  }

  @Post('journeys/:id/decisions/:node/override')
  @HttpCode(200)
  @Roles('caseworker')
  @ApiOperation({ summary: 'A caseworker of the deciding agency overrides a decision with a reason (audited; a retry answers the same record)' })
  override(
    @CurrentPrincipal() p: Principal,
    @Param('id') id: string,
    @Param('node') node: string,
    @Body() dto: OverrideDecisionDto,
    @Query() q: LanguageQuery,
    @Headers('accept-language') accept?: string,
  ) {
    return this.decisions.override(p, id, node, dto, readerLanguage(q.lang, accept));
  }

  @Get('audit')
  @Roles('auditor')
  @ApiOperation({ summary: 'The audit log (overrides, withdrawn consents, caseworker starts, mandates, …), filtered by target, type, action or actor; auditors only' })
  @ApiProblems(400, 403)
  audit(@CurrentPrincipal() p: Principal, @Query() q: AuditQuery) {
    return this.decisions.audit(p, q);
  }
}
