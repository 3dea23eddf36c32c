import { Body, Controller, Get, Headers, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Roles } from '../auth/decorators';
import type { Principal } from '../auth/principal';
import { LanguageQuery, readerLanguage } from '../data-access/reading';
import { AuditQuery, OverrideDecisionDto } from './decisions.dto';
import { DecisionsService } from './decisions.service';

@ApiTags('decisions')
@ApiBearerAuth()
@Controller()
export class DecisionsController {
  constructor(private readonly decisions: DecisionsService) {}

  @Get('journeys/:id/decisions')
  @ApiOperation({ summary: "A journey's automatic decisions: inputs, rule id and version, explanation, override if any" })
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
  @Roles('auditor', 'catalog-admin')
  @ApiOperation({ summary: 'The audit log (overrides, withdrawn consents, …), filtered by target, type, action or actor' })
  audit(@CurrentPrincipal() p: Principal, @Query() q: AuditQuery) {
    return this.decisions.audit(p, q);
  }
}
